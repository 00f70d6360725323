using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using LanScatter.Core.Protocol;
using LanScatter.Core.Transport;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>
/// The master plans a download slot's next chunk as soon as the peer says the current one is
/// ending, so the order is on its way before the last bytes arrive. Spoken from a raw control
/// channel, so the test sees exactly which orders arrive when.
/// </summary>
public class PipelinedOrderTests
{
    private const string Id = "pipelining-peer";

    private static Task Send(ControlChannel c, string text) => c.SendRawAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None).Within(10);

    /// <summary>Collects the fetch orders the master sends (cancelling a WebSocket receive would abort the socket).</summary>
    private static Channel<FetchMessage> Orders(ControlChannel c)
    {
        var orders = Channel.CreateUnbounded<FetchMessage>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (await c.ReceiveAsync(CancellationToken.None) is { } m)
                    if (m is FetchMessage f) orders.Writer.TryWrite(f);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
            }
            orders.Writer.TryComplete();
        });
        return orders;
    }

    /// <summary>The next fetch order, or null if none comes within the time.</summary>
    private static async Task<FetchMessage?> NextFetch(Channel<FetchMessage> orders, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await orders.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task An_ending_transfer_gets_the_slots_next_order_before_it_is_done()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.bin", TestData.Random(400_000, 3)); // 7 chunks of 64 KiB
        var master = await swarm.StartMasterAsync();
        await using var status = PlayedNodes.StatusEndpoint(Id);
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{master.Port}/ws"), CancellationToken.None).Within(10);
        using var c = new ControlChannel(ws);
        var orders = Orders(c);
        await Send(c, $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"{{Id}}","name":"raw","address":"127.0.0.1","port":{{status.Port}},"maxDownloads":1,"maxUploads":0,"have":[]}""");
        // No order before the peer says, with a full 'have', that it has applied the manifest.
        Assert.Null(await NextFetch(orders, TimeSpan.FromSeconds(1.5)));
        await Send(c, """{"type":"have","chunks":[],"full":true}""");

        var first = await NextFetch(orders, TimeSpan.FromSeconds(15));
        Assert.NotNull(first);
        // Progress alone keeps the one slot busy: no second order.
        await Send(c, $$"""{"type":"transfer","transferId":{{first!.TransferId}},"done":false,"bytes":1000}""");
        Assert.Null(await NextFetch(orders, TimeSpan.FromSeconds(1.5)));

        await Send(c, $$"""{"type":"transfer","transferId":{{first.TransferId}},"done":false,"ending":true,"bytes":60000}""");
        var next = await NextFetch(orders, TimeSpan.FromSeconds(10));
        Assert.NotNull(next);
        Assert.NotEqual(first.ChunkId, next!.ChunkId);

        // The first one then completes without freeing the slot a second time: still one order in flight.
        await Send(c, $$"""{"type":"transfer","transferId":{{first.TransferId}},"done":true,"ok":true,"bytes":65536,"seconds":0.1}""");
        Assert.Null(await NextFetch(orders, TimeSpan.FromSeconds(1.5)));
    }
}
