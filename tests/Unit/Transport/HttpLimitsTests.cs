using System.Net;
using System.Net.Sockets;
using System.Text;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>What one client can take from a node: connections, a stalled download, slow or huge headers.</summary>
[Collection(SerialCollection.Name)]
public class HttpLimitsTests
{
    [Fact]
    public async Task One_address_gets_503_beyond_its_share_of_requests_in_flight_and_its_share_back_when_they_end()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = HttpServer.Start("127.0.0.1", 0, async (ctx, ct) => await release.Task, maxPerAddress: 3);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var held = Enumerable.Range(0, 3).Select(_ => http.GetAsync($"http://127.0.0.1:{server.Port}/")).ToList();
        await Timeouts.Until(() => false == held.Any(t => t.IsCompleted), 1, "requests held");
        await Task.Delay(300);
        using (var refused = await http.GetAsync($"http://127.0.0.1:{server.Port}/").Within(10))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        release.SetResult();
        foreach (var r in await Task.WhenAll(held).Within(10)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var again = await http.GetAsync($"http://127.0.0.1:{server.Port}/").Within(10);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_stops_reading_a_chunk_is_cut_off_and_frees_the_upload()
    {
        var secret = SwarmSecret.FromText("limits test secret 123", "test");
        await using var swarm = new TestSwarm(32 << 20, secret: secret);
        swarm.MasterFolder.Write("big.bin", TestData.Random(32 << 20, 6));
        var master = await swarm.StartMasterAsync();
        var id = master.Manifest.Files[0].Chunks[0].Id;
        var before = ChunkResponder.WriteStallLimit;
        ChunkResponder.WriteStallLimit = TimeSpan.FromSeconds(1);
        try
        {
            using var client = new TcpClient { ReceiveBufferSize = 4096 };
            await client.ConnectAsync(IPAddress.Loopback, master.Port);
            var path = "/chunks/" + id;
            var request = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{master.Port}\r\nAuthorization: LanScatter {HttpCredentials.RequestMac(secret, "GET", path)}\r\n\r\n";
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await Task.Delay(TimeSpan.FromSeconds(6)); // reads nothing: the server's writes block, then it gives up

            long total = 0;
            var buffer = new byte[1 << 20];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) total += n;
            }
            catch (IOException)
            {
                // reset: cut off
            }
            Assert.False(timeout.IsCancellationRequested, "the stalled response was never cut off");
            Assert.True(total < 32 << 20, $"received {total} bytes: the whole chunk");
        }
        finally
        {
            ChunkResponder.WriteStallLimit = before;
        }
    }

    [Fact]
    public async Task Hundreds_of_slow_header_senders_do_not_keep_a_master_from_serving_and_a_huge_header_is_refused()
    {
        var secret = SwarmSecret.FromText("slowloris test secret", "test");
        await using var swarm = new TestSwarm(64 * 1024, secret: secret);
        swarm.MasterFolder.Write("a.bin", TestData.Random(1 << 20, 7));
        var master = await swarm.StartMasterAsync();
        var slow = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, master.Port);
                await c.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{master.Port}\r\nX-Slow: "));
                slow.Add(c);
            }
            using var keepGoing = new CancellationTokenSource();
            var trickle = Task.Run(async () =>
            {
                while (!keepGoing.IsCancellationRequested)
                {
                    foreach (var c in slow) try { await c.GetStream().WriteAsync(Encoding.ASCII.GetBytes("a")); } catch (IOException) { }
                    await Task.Delay(500);
                }
            });

            var peer = await swarm.StartPeerAsync(swarm.NewFolder().Path, "p");
            await swarm.InSync(60, peer);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var view = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/swarm");
            view.Headers.Authorization = new("Bearer", secret.ReadToken);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(view)).StatusCode);

            using var huge = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/swarm");
            huge.Headers.TryAddWithoutValidation("X-Huge", new string('h', 1 << 20));
            var refused = await http.SendAsync(huge);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            keepGoing.Cancel();
            await trickle;
        }
        finally
        {
            foreach (var c in slow) c.Dispose();
        }
    }
}
