using LanScatter.Core.Planning;

namespace LanScatter.Core.Nodes;

/// <summary>How to run a master.</summary>
public sealed record MasterOptions
{
    public const int DefaultPort = 10564;

    /// <summary>The folder to distribute.</summary>
    public string Path { get; init; } = "";
    public int Port { get; init; } = DefaultPort;

    /// <summary>Address to listen on; null listens on all interfaces.</summary>
    public string? Bind { get; init; }

    /// <summary>Chunk size in bytes; null is adaptive.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>Concurrent uploads of the master (match the peers' download slots; see bench/RESULTS.md).</summary>
    public int MaxUploads { get; init; } = 4;

    /// <summary>The master's own upload limit in Mbit/s; 0 = unlimited.</summary>
    public double UploadLimitMbit { get; init; }

    /// <summary>Limits pushed to every peer (Mbit/s, 0 = unlimited); null leaves each peer its own.</summary>
    public double? SwarmUploadLimitMbit { get; init; }
    public double? SwarmDownloadLimitMbit { get; init; }

    /// <summary>Rescan the folder this long after the last change seen by the file watcher.</summary>
    public TimeSpan ChangeDebounce { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Rescan this often anyway (the watcher can miss changes, e.g. on network shares).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromMinutes(1);

    internal PlannerOptions Planner { get; init; } = new();

    /// <summary>From how many files a change the watcher located rescans only its paths (tests lower it).</summary>
    internal int PartialRescanMinFiles { get; init; } = 10_000;

    /// <summary>How many changed paths the master keeps between rescans; past that the next rescan is whole (tests lower it).</summary>
    internal int MaxReportedPaths { get; init; } = 10_000;
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>
    /// The swarm secret (see <see cref="Security.SwarmSecret"/>); null runs an open swarm that anyone
    /// who can reach the port reads. Master and peers must have the same one.
    /// </summary>
    public Security.SwarmSecret? Secret { get; init; }

    /// <summary>Paths not distributed: PowerShell wildcards on relative paths (see <see cref="Manifest.PathFilter"/>).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = Array.Empty<string>();
}
