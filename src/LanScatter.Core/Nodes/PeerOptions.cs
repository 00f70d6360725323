using LanScatter.Core.Storage;

namespace LanScatter.Core.Nodes;

/// <summary>How to run a peer.</summary>
public sealed record PeerOptions
{
    public const int DefaultPort = 10565;

    /// <summary>The folder to keep identical to the master's.</summary>
    public string Path { get; init; } = "";
    public string MasterHost { get; init; } = "";
    public int MasterPort { get; init; } = MasterOptions.DefaultPort;

    /// <summary>Port this peer serves chunks on (0 = any free port).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Address to listen on; null listens on all interfaces.</summary>
    public string? Bind { get; init; }

    /// <summary>Address other nodes use to reach this peer; null lets the master use the address it sees.</summary>
    public string? Advertise { get; init; }
    public int MaxDownloads { get; init; } = 4;
    public int MaxUploads { get; init; } = 4;

    /// <summary>Limits in Mbit/s; 0 = unlimited. The master may push others.</summary>
    public double DownloadLimitMbit { get; init; }
    public double UploadLimitMbit { get; init; }

    /// <summary>Take over a non-empty folder never synced before (files not on the master are deleted).</summary>
    public bool Force { get; init; }
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>From how many files on a change looks only at the paths it touches (tests lower it).</summary>
    internal int ScopedChangeMinFiles { get; init; } = PeerFolder.DefaultScopedChangeMinFiles;

    /// <summary>
    /// The swarm secret (see <see cref="Security.SwarmSecret"/>); null runs an open swarm that anyone
    /// who can reach the port reads. Master and peers must have the same one.
    /// </summary>
    public Security.SwarmSecret? Secret { get; init; }

    /// <summary>
    /// Local paths neither overwritten nor deleted (logs, local configuration): PowerShell wildcards on
    /// relative paths (see <see cref="Manifest.PathFilter"/>). The master's files there are not fetched.
    /// </summary>
    public IReadOnlyList<string> Exclude { get; init; } = Array.Empty<string>();

    /// <summary>
    /// How long before a download's expected end the master is asked for the slot's next one: covers
    /// the control round trip and the next request, so the link does not idle between chunks.
    /// </summary>
    public TimeSpan EndingLead { get; init; } = TimeSpan.FromMilliseconds(75);

    /// <summary>Once-mode: the node ends (Completion) once the folder is in sync and its running uploads have ended.</summary>
    public bool Once { get; init; }

    /// <summary>How long a peer that never reached the master keeps trying before it fails (MasterUnreachable); null or zero tries forever.</summary>
    public TimeSpan? ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>In once-mode, how long a peer that is done keeps serving uploads already running.</summary>
    public TimeSpan LeaveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);
}
