namespace LanScatter.Core.Nodes;

/// <summary>One peer as the master sees it.</summary>
public sealed record PeerStatus(string Id, string Name, string Address, int Port, NodeState State, long BytesDone, long BytesTotal, int ChunksHeld, bool Slow);

/// <summary>
/// An immutable picture of a node, published by the node's loop; safe to read from any thread.
/// Rates are bytes per second over the last few seconds.
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
    public static NodeStatus Initial(string role, string name) =>
        new(role, name, NodeState.Starting, 0, 0, 0, 0, 0, 0, 0, Array.Empty<PeerStatus>(), null, DateTime.UtcNow);
}
