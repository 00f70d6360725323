using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class SwarmBasicsTests
{
    [Fact]
    public async Task One_master_and_one_empty_peer_end_identical_with_every_chunk_fetched_once()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.bin", TestData.Random(300_000, 1));
        swarm.MasterFolder.Write("sub/b.txt", "hello");
        swarm.MasterFolder.MakeDirectory("empty/nested");
        var master = await swarm.StartMasterAsync();
        var peerDir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(peerDir.Path, "p1");

        await swarm.InSync(60, peer);

        FolderAssert.Identical(swarm.MasterFolder.Path, peerDir.Path);
        // Every chunk crossed the network exactly once: the bytes served equal the folder's size.
        long total = master.Manifest.TotalBytes;
        await Timeouts.Until(() => master.Status.BytesFromMaster >= total, 10, "master status");
        await Task.Delay(600); // one more status period: nothing else is sent
        Assert.Equal(total, master.Status.BytesFromMaster);
        Assert.Equal(total, peer.Status.BytesFromMaster + peer.Status.BytesFromPeers);
        Assert.Equal(NodeState.InSync, peer.Status.State);
    }

    [Fact]
    public async Task Peers_relay_chunks_they_are_still_receiving_and_all_end_identical()
    {
        // Every node limited to 40 Mbit/s: a chunk takes long enough to arrive that the planner
        // passes it on through peers that are still receiving it.
        await using var swarm = new TestSwarm(chunkSize: 256 * 1024, rateMbit: 40);
        swarm.MasterFolder.Write("big.bin", TestData.Random(6_000_000, 21));
        swarm.MasterFolder.Write("sub/small.bin", TestData.Random(300_001, 22));
        var master = await swarm.StartMasterAsync();
        var dirs = Enumerable.Range(0, 4).Select(_ => swarm.NewFolder()).ToList();
        var peers = new List<PeerNode>();
        for (int i = 0; i < dirs.Count; i++) peers.Add(await swarm.StartPeerAsync(dirs[i].Path, $"p{i}"));

        await swarm.InSync(120, peers.ToArray());

        Assert.True(master.RelaysStarted > 0, "no chunk was relayed");
        foreach (var d in dirs) FolderAssert.Identical(swarm.MasterFolder.Path, d.Path);
    }
}
