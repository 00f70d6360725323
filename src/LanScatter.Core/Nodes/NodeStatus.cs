namespace LanScatter.Core.Nodes;

/// <summary>One peer as the master sees it (rates and limits as the peer last reported them).</summary>
public sealed record PeerStatus(string Id, string Name, string Address, int Port, NodeState State, long BytesDone, long BytesTotal, int ChunksHeld, bool Slow)
{
    public double DownloadBytesPerSecond { get; init; }
    public double UploadBytesPerSecond { get; init; }
    public double UploadLimitMbit { get; init; }
    public double DownloadLimitMbit { get; init; }
    public DateTime LastSeenUtc { get; init; }

    /// <summary>Downloads running to this peer now, those that failed so far (of which with bytes that did not hash right).</summary>
    public int ActiveTransfers { get; init; }
    public int TransfersFailed { get; init; }
    public int HashMismatches { get; init; }

    /// <summary>Bytes this peer got from other peers and from the master.</summary>
    public long BytesFromPeers { get; init; }
    public long BytesFromMaster { get; init; }

    /// <summary>The peer's own last error, else its last failed transfer's.</summary>
    public string? LastError { get; init; }

    /// <summary>Bytes done of bytes total, 0-100 to a tenth.</summary>
    public double Percent => NodeStatus.PercentOf(BytesDone, BytesTotal, State);
}

/// <summary>
/// An immutable picture of a node, published by the node's loop; safe to read from any thread.
/// Rates are bytes per second over the last few seconds; limits are Mbit/s with 0 = unlimited.
/// </summary>
public sealed record NodeStatus(
    string Role,
    string Name,
    NodeState State,
    int Port,
    long BytesDone,
    long BytesTotal,
    double DownloadBytesPerSecond,
    double UploadBytesPerSecond,
    long BytesFromPeers,
    long BytesFromMaster,
    IReadOnlyList<PeerStatus> Peers,
    string? LastError,
    DateTime TimeUtc)
{
    public double UploadLimitMbit { get; init; }
    public double DownloadLimitMbit { get; init; }

    /// <summary>Distinct chunks held and in the manifest (the master holds them all).</summary>
    public int ChunksHeld { get; init; }
    public int ChunksTotal { get; init; }
    public int ManifestVersion { get; init; }

    /// <summary>When the node started; transfers running now (a master: all in the swarm), failed so far, of which with bytes that did not hash right; planner passes (a master).</summary>
    public DateTime StartedUtc { get; init; }

    /// <summary>Bytes this node has sent and received since it started (chunks only).</summary>
    public long BytesSent { get; init; }
    public long BytesReceived { get; init; }
    public int ActiveTransfers { get; init; }
    public long TransfersFailed { get; init; }
    public long HashMismatches { get; init; }
    public long PlannerPasses { get; init; }

    /// <summary>Bytes done of bytes total, 0-100 to a tenth (the scan's progress while scanning).</summary>
    public double Percent => PercentOf(BytesDone, BytesTotal, State);

    // An empty folder is all done once in sync or served.
    internal static double PercentOf(long done, long total, NodeState state) =>
        total == 0 ? (state is NodeState.InSync or NodeState.Serving ? 100 : 0) : Math.Round(100.0 * done / total, 1);

    public static NodeStatus Initial(string role, string name) =>
        new(role, name, NodeState.Starting, 0, 0, 0, 0, 0, 0, 0, Array.Empty<PeerStatus>(), null, DateTime.UtcNow);
}
