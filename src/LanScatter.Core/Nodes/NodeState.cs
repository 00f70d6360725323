namespace LanScatter.Core.Nodes;

/// <summary>Where a node is in its life.</summary>
public enum NodeState
{
    Starting,
    Scanning,
    Connecting,
    Syncing,
    InSync,
    Serving,
    Reconnecting,
    Stopped,
    Failed,
}
