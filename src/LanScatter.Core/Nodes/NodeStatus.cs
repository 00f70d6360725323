namespace LanScatter.Core.Nodes;

/// <summary>One peer as the master sees it (rates and limits as the peer last reported them).</summary>
public sealed record PeerStatus(string Id, string Name, string Address, int Port, NodeState State, long BytesDone, long BytesTotal, int ChunksHeld, bool Slow)
{
    public double DownloadBytesPerSecond { get; init; }
    public double UploadBytesPerSecond { get; init; }
    public double UploadLimitMbit { get; init; }
    public double DownloadLimitMbit { get; init; }
    public DateTime LastSeenUtc { get; init; }
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

    public static NodeStatus Initial(string role, string name) =>
        new(role, name, NodeState.Starting, 0, 0, 0, 0, 0, 0, 0, Array.Empty<PeerStatus>(), null, DateTime.UtcNow);
}
