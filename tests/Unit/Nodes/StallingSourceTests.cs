using System.Net.WebSockets;
using System.Text;
using LanScatter.Core.Planning;
using LanScatter.Core.Protocol;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>A source that stalls mid-chunk costs its receivers one timeout, not the swarm.</summary>
public class StallingSourceTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task A_source_that_stalls_mid_chunk_is_given_up_after_the_timeout_and_the_peer_finishes_from_the_master()
    {
        await using var swarm = new TestSwarm(Chunk);
        swarm.MasterFolder.Write("data.bin", TestData.Random(20 * Chunk, 1));
        var master = await swarm.StartMasterAsync(planner: new PlannerOptions { NoProgressTimeout = TimeSpan.FromSeconds(3) });
        var ids = master.Manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct().ToList();

        // A peer that claims every chunk, answers the master's address check, and sends 1 KiB of any
        // chunk asked for, then nothing more (the connection stays open).
        int stalls = 0;
        await using var stalling = HttpServer.Start("127.0.0.1", 0, async (ctx, ct) =>
        {
            if (ctx.Request.Path == "/api/status")
            {
                var status = Encoding.UTF8.GetBytes("""{"role":"peer","peerId":"stalling"}""");
                await ctx.Response.OutputStream.WriteAsync(status, ct);
                return;
            }
            ctx.Response.ContentLength = Chunk;
            await ctx.Response.OutputStream.WriteAsync(new byte[1024], ct);
            await ctx.Response.OutputStream.FlushAsync(ct);
            Interlocked.Increment(ref stalls);
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{master.Port}/ws"), CancellationToken.None).Within(10);
        using var channel = new ControlChannel(socket);
        var have = string.Join(",", ids.Select(id => $"\"{id}\""));
        await channel.SendRawAsync(Encoding.UTF8.GetBytes(
            $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"stalling","name":"stalling","address":"127.0.0.1","port":{{stalling.Port}},"maxUploads":4,"maxDownloads":1,"have":[{{have}}]}"""),
            CancellationToken.None).Within(10);
        Assert.IsType<WelcomeMessage>(await channel.ReceiveAsync(CancellationToken.None).Within(15));

        var dir = swarm.NewFolder();
        var started = DateTime.UtcNow;
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "real"));

        Assert.True(stalls >= 1, "the stalling peer was never used as a source: the test proves nothing");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"took {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }
}
