namespace LanScatter.Core.Nodes;

/// <summary>Turns node statuses into the <see cref="SwarmNodeInfo"/> rows hosts show and the JSON API serves.</summary>
public static class SwarmView
{
    /// <summary>The swarm as a master sees it: itself first, then its peers.</summary>
    public static SwarmDocument FromMaster(NodeStatus master, string address)
    {
        var doc = new SwarmDocument { ManifestVersion = master.ManifestVersion };
        doc.Nodes.Add(new SwarmNodeInfo
        {
            Role = "master", Name = master.Name, Address = address, Port = master.Port, State = master.State.ToString(),
            Percent = master.Percent,
            BytesDone = master.BytesDone, BytesTotal = master.BytesTotal, ChunksHeld = master.ChunksHeld, ChunksTotal = master.ChunksTotal,
            UploadMbps = SwarmNodeInfo.Mbit(master.UploadBytesPerSecond), UploadLimitMbps = master.UploadLimitMbit,
            LastSeenUtc = master.TimeUtc, LastError = master.LastError,
        });
        foreach (var p in master.Peers)
        {
            doc.Nodes.Add(new SwarmNodeInfo
            {
                Role = "peer", Name = p.Name, Address = p.Address, Port = p.Port, State = p.State.ToString(),
                Percent = p.Percent,
                BytesDone = p.BytesDone, BytesTotal = p.BytesTotal, ChunksHeld = p.ChunksHeld, ChunksTotal = master.ChunksTotal,
                DownloadMbps = SwarmNodeInfo.Mbit(p.DownloadBytesPerSecond), UploadMbps = SwarmNodeInfo.Mbit(p.UploadBytesPerSecond),
                DownloadLimitMbps = p.DownloadLimitMbit, UploadLimitMbps = p.UploadLimitMbit, Slow = p.Slow, LastSeenUtc = p.LastSeenUtc,
            });
        }
        return doc;
    }

    /// <summary>A peer as it sees itself.</summary>
    public static SwarmNodeInfo FromPeer(NodeStatus peer, string address) => new()
    {
        Role = "peer", Name = peer.Name, Address = address, Port = peer.Port, State = peer.State.ToString(),
        Percent = peer.Percent,
        BytesDone = peer.BytesDone, BytesTotal = peer.BytesTotal, ChunksHeld = peer.ChunksHeld, ChunksTotal = peer.ChunksTotal,
        DownloadMbps = SwarmNodeInfo.Mbit(peer.DownloadBytesPerSecond), UploadMbps = SwarmNodeInfo.Mbit(peer.UploadBytesPerSecond),
        DownloadLimitMbps = peer.DownloadLimitMbit, UploadLimitMbps = peer.UploadLimitMbit, LastSeenUtc = peer.TimeUtc, LastError = peer.LastError,
    };
}
