using LanScatter.Core.Nodes;

namespace LanScatter.PowerShell.Jobs;

/// <summary>
/// How a node's run ended: the one object Start-LsPeer/Start-LsMaster -Wait writes, and the last
/// object of a job's Output. <see cref="InSync"/> says whether a peer's folder matched the master's.
/// </summary>
public sealed class NodeResult
{
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string Path { get; set; } = "";
    public string? Master { get; set; }
    public int Port { get; set; }
    public string State { get; set; } = "";
    public bool InSync { get; set; }
    public long BytesTotal { get; set; }
    public long BytesFromPeers { get; set; }

    /// <summary>For a peer, bytes fetched from the master; for a master, bytes it sent.</summary>
    public long BytesFromMaster { get; set; }
    public TimeSpan Duration { get; set; }
    public string? Error { get; set; }

    internal static NodeResult From(ISwarmNode node, string role, string path, string? master, DateTime startedUtc)
    {
        var s = node.Status;
        string? error = node.Completion.IsFaulted ? node.Completion.Exception?.GetBaseException().Message : null;
        bool inSync = node is PeerNode peer && peer.WhenInSync.Status == TaskStatus.RanToCompletion && error is null;
        return new NodeResult
        {
            Role = role,
            Name = s.Name,
            Path = path,
            Master = master,
            Port = node.Port,
            // A once-peer that left in sync reads InSync, not the Stopped it ends in.
            State = error is not null ? "Failed" : inSync ? "InSync" : s.State.ToString(),
            InSync = inSync,
            BytesTotal = s.BytesTotal,
            BytesFromPeers = s.BytesFromPeers,
            BytesFromMaster = s.BytesFromMaster,
            Duration = DateTime.UtcNow - startedUtc,
            Error = error,
        };
    }
}
