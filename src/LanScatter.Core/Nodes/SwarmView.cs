namespace LanScatter.Core.Nodes;

/// <summary>Turns node statuses into the <see cref="SwarmNodeInfo"/> rows hosts show and the JSON API serves.</summary>
public static class SwarmView
{
    /// <summary>The swarm as a master sees it: itself first, then its peers.</summary>
    public static SwarmDocument FromMaster(NodeStatus master, string address)
    {
        var doc = new SwarmDocument
        {
            ManifestVersion = master.ManifestVersion, GeneratedUtc = master.TimeUtc, StartedUtc = master.StartedUtc, Totals = Totals(master),
        };
        doc.Nodes.Add(new SwarmNodeInfo
        {
            Role = "master", Name = master.Name, Address = address, Port = master.Port, State = master.State.ToString(),
            Percent = master.Percent,
            BytesDone = master.BytesDone, BytesTotal = master.BytesTotal, ChunksHeld = master.ChunksHeld, ChunksTotal = master.ChunksTotal,
            UploadMbps = SwarmNodeInfo.Mbit(master.UploadBytesPerSecond), UploadLimitMbps = master.UploadLimitMbit,
            ActiveTransfers = master.ActiveTransfers, TransfersFailed = master.TransfersFailed, HashMismatches = master.HashMismatches,
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
                ActiveTransfers = p.ActiveTransfers, TransfersFailed = p.TransfersFailed, HashMismatches = p.HashMismatches,
                BytesFromPeers = p.BytesFromPeers, BytesFromMaster = p.BytesFromMaster, LastError = p.LastError,
            });
        }
        return doc;
    }

    private static SwarmTotals Totals(NodeStatus master)
    {
        var peers = master.Peers;
        long done = peers.Sum(p => p.BytesDone), total = peers.Sum(p => p.BytesTotal);
        long fromPeers = peers.Sum(p => p.BytesFromPeers), fromMaster = peers.Sum(p => p.BytesFromMaster);
        double rate = peers.Sum(p => p.DownloadBytesPerSecond);
        return new SwarmTotals
        {
            Peers = peers.Count, PeersInSync = peers.Count(p => p.State == NodeState.InSync),
            BytesDone = done, BytesTotal = total, Percent = NodeStatus.PercentOf(done, total, peers.Count > 0 && done == total ? NodeState.InSync : NodeState.Syncing),
            DownloadMbps = SwarmNodeInfo.Mbit(rate), MasterUploadMbps = SwarmNodeInfo.Mbit(master.UploadBytesPerSecond),
            // The swarm is done when its slowest peer is: the most any one peer still needs, at that peer's share of the rate.
            EtaSeconds = done >= total ? 0 : rate > 1 ? Math.Round(peers.Max(p => p.BytesTotal - p.BytesDone) / (rate / Math.Max(1, peers.Count(p => p.BytesDone < p.BytesTotal))), 0) : null,
            BytesFromPeers = fromPeers, BytesFromMaster = fromMaster,
            PeerShare = fromPeers + fromMaster == 0 ? 0 : Math.Round((double)fromPeers / (fromPeers + fromMaster), 3),
            ActiveTransfers = master.ActiveTransfers, TransfersFailed = master.TransfersFailed, HashMismatches = master.HashMismatches,
            ElapsedSeconds = Math.Round((master.TimeUtc - master.StartedUtc).TotalSeconds, 0),
        };
    }

    /// <summary>A peer alone, in the shape of the master's document (so one status page shows either).</summary>
    public static SwarmDocument OfPeer(NodeStatus peer, string address)
    {
        var doc = new SwarmDocument { ManifestVersion = peer.ManifestVersion, GeneratedUtc = peer.TimeUtc, StartedUtc = peer.StartedUtc };
        doc.Nodes.Add(FromPeer(peer, address));
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
        ActiveTransfers = peer.ActiveTransfers, TransfersFailed = peer.TransfersFailed, HashMismatches = peer.HashMismatches,
        BytesFromPeers = peer.BytesFromPeers, BytesFromMaster = peer.BytesFromMaster,
    };
}
