using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class PeerLeaveTests
{
    private const int Chunk = 256 * 1024;

    [Fact]
    public async Task A_leaving_peer_finishes_the_uploads_it_is_serving_and_gets_no_new_ones()
    {
        // Uploads limited to 16 Mbit/s and the receiver's download unlimited: the sender's pace decides
        // how long an upload runs (a chunk takes ~0.5 s with four at once), so leaving meets running uploads.
        await using var swarm = new TestSwarm(Chunk, rateMbit: 16);
        swarm.MasterFolder.Write("data.bin", TestData.Random(24 * Chunk, 1));
        await swarm.StartMasterAsync();
        var leaverDir = swarm.NewFolder();
        var leaver = await swarm.StartPeerAsync(leaverDir.Path, "leaver");
        await swarm.InSync(60, leaver);

        var stayerDir = swarm.NewFolder();
        var stayer = await swarm.StartPeerAsync(stayerDir.Path, "stayer", downloadMbit: 0);
        await Timeouts.Until(() => leaver.UploadsRunning > 0, 30, "the leaver serving the new peer");
        await leaver.LeaveAsync(TimeSpan.FromSeconds(30)).Within(40);
        Assert.Equal(0, leaver.UploadsRunning);

        await swarm.InSync(60, stayer);
        FolderAssert.Identical(swarm.MasterFolder.Path, stayerDir.Path);
        Assert.True(stayer.Status.BytesFromPeers >= Chunk, "the leaver's uploads completed and counted");
        lock (swarm.Log)
        {
            Assert.Contains(swarm.Log, l => l.Contains("leaver is leaving"));
            Assert.DoesNotContain(swarm.Log, l => l.Contains("failed")); // no chunk cut off half-way
        }
    }
}
