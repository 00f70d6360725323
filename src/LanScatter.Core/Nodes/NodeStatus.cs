namespace LanScatter.Core.Nodes;

/// <summary>One peer as the master sees it (rates and limits as the peer last reported them).</summary>
public sealed record PeerStatus(string Id, string Name, string Address, int Port, NodeState State, long BytesDone, long BytesTotal, int ChunksHeld, bool Slow)
{
    public double DownloadBytesPerSecond { get; init; }
    public double UploadBytesPerSecond { get; init; }
    public double UploadLimitMbit { get; init; }
    public double DownloadLimitMbit { get; init; }
    public DateTime LastSeenUtc { get; init; }

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

    /// <summary>Bytes done of bytes total, 0-100 to a tenth (the scan's progress while scanning).</summary>
    public double Percent => PercentOf(BytesDone, BytesTotal, State);

    // An empty folder is all done once in sync or served.
    internal static double PercentOf(long done, long total, NodeState state) =>
        total == 0 ? (state is NodeState.InSync or NodeState.Serving ? 100 : 0) : Math.Round(100.0 * done / total, 1);

    public static NodeStatus Initial(string role, string name) =>
        new(role, name, NodeState.Starting, 0, 0, 0, 0, 0, 0, 0, Array.Empty<PeerStatus>(), null, DateTime.UtcNow);
}
