using System.Text.Json.Serialization;

namespace LanScatter.Core.Nodes;

/// <summary>
/// One node of a swarm as hosts show it: flat, plain properties (so a CSV export has useful columns),
/// the same whether read from a node in this process or from a master's <c>/api/swarm</c>, whose
/// JSON uses these names in camelCase. Rates and limits are Mbit/s; a limit of 0 is unlimited.
/// </summary>
public sealed class SwarmNodeInfo
{
    /// <summary>The master (HOST:PORT) this view was read from; not part of the JSON.</summary>
    [JsonIgnore]
    public string Master { get; set; } = "";
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public string State { get; set; } = "";
    public double Percent { get; set; }
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public int ChunksHeld { get; set; }
    public int ChunksTotal { get; set; }
    public double DownloadMbps { get; set; }
    public double UploadMbps { get; set; }
    public double DownloadLimitMbps { get; set; }
    public double UploadLimitMbps { get; set; }
    public bool Slow { get; set; }

    /// <summary>Downloads running to the node now; failed so far; of those, with bytes that did not match their hash.</summary>
    public int ActiveTransfers { get; set; }
    public long TransfersFailed { get; set; }
    public long HashMismatches { get; set; }

    /// <summary>Bytes the node received from peers and from the master (0 for the master).</summary>
    public long BytesFromPeers { get; set; }
    public long BytesFromMaster { get; set; }
    public DateTime LastSeenUtc { get; set; }
    public string? LastError { get; set; }

    /// <summary>Local time of <see cref="LastSeenUtc"/>, for people reading a table.</summary>
    [JsonIgnore]
    public DateTime LastSeen => LastSeenUtc.ToLocalTime();

    internal static double Mbit(double bytesPerSecond) => Math.Round(bytesPerSecond * 8 / 1e6, 2);
}

/// <summary>The master's <c>/api/swarm</c> document: the master first, then every peer.</summary>
public sealed class SwarmDocument
{
    /// <summary>Bumped when a field changes meaning or disappears (additions keep it).</summary>
    public const int CurrentSchema = 1;

    public int SchemaVersion { get; set; } = CurrentSchema;
    public int ManifestVersion { get; set; }

    /// <summary>When the master made this document, and when it started.</summary>
    public DateTime GeneratedUtc { get; set; }
    public DateTime StartedUtc { get; set; }
    public SwarmTotals Totals { get; set; } = new();
    public List<SwarmNodeInfo> Nodes { get; set; } = new();
}

/// <summary>The swarm at a glance: the peers' progress summed, the rate it goes at, and who carries the bytes.</summary>
public sealed class SwarmTotals
{
    public int Peers { get; set; }
    public int PeersInSync { get; set; }

    /// <summary>Bytes the peers hold and need, summed over peers; their percent.</summary>
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public double Percent { get; set; }

    /// <summary>What all peers receive together (Mbit/s), and the master's own upload.</summary>
    public double DownloadMbps { get; set; }
    public double MasterUploadMbps { get; set; }

    /// <summary>Seconds until every peer holds everything at the current rate; null while nothing moves.</summary>
    public double? EtaSeconds { get; set; }

    /// <summary>Bytes peers received from each other and from the master; the peers' share of them (0-1).</summary>
    public long BytesFromPeers { get; set; }
    public long BytesFromMaster { get; set; }
    public double PeerShare { get; set; }

    public int ActiveTransfers { get; set; }
    public long TransfersFailed { get; set; }
    public long HashMismatches { get; set; }
    public double ElapsedSeconds { get; set; }
}
