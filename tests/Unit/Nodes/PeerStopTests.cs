using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>Stopping races the end of fetches, aborts and other stop calls; none of them may throw.</summary>
public class PeerStopTests
{
    private const int Chunk = 16 * 1024;

    [Fact]
    public async Task Stopping_a_peer_at_any_moment_of_many_short_fetches_never_throws_and_keeps_what_it_had()
    {
        // 40 Mbit/s: a 16 KiB fetch ends every few milliseconds, so stops land among fetches ending.
        await using var swarm = new TestSwarm(Chunk, rateMbit: 40);
        swarm.MasterFolder.Write("data.bin", TestData.Random(400 * Chunk, 1));
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        var random = new Random(7);
        long had = 0;
        for (int round = 0; round < 8; round++)
        {
            var peer = await swarm.StartPeerAsync(dir.Path, "p");
            await Timeouts.Until(() => peer.Status.BytesDone > had || peer.Status.State == Core.Nodes.NodeState.InSync, 30, "some progress");
            await Task.Delay(random.Next(0, 15));
            // Two stops at once, as a host's Ctrl+C and its dispose may do; both wait for the same stop.
            await Task.WhenAll(peer.StopAsync(), peer.StopAsync()).Within(30);
            await swarm.StopPeerAsync(peer);
            Assert.True(peer.Status.BytesDone >= had, $"round {round}: {peer.Status.BytesDone} bytes after having {had}");
            had = peer.Status.BytesDone;
        }

        var last = await swarm.StartPeerAsync(dir.Path, "p");
        await swarm.InSync(60, last);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }
}
