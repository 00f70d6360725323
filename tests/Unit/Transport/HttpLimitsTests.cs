using System.Net;
using System.Net.Sockets;
using System.Text;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>What one client can take from a node: connections, a stalled download, slow or huge headers.</summary>
[Collection(SerialCollection.Name)]
public class HttpLimitsTests
{
    [Fact]
    public async Task One_address_gets_503_beyond_its_share_of_connections_and_its_share_back_when_they_end()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int entered = 0;
        await using var server = HttpServer.Start("127.0.0.1", 0, async (ctx, ct) =>
        {
            Interlocked.Increment(ref entered);
            await release.Task;
        }, maxPerAddress: 3);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var held = Enumerable.Range(0, 3).Select(_ => http.GetAsync($"http://127.0.0.1:{server.Port}/")).ToList();
        await Timeouts.Until(() => Volatile.Read(ref entered) == 3, 10, "three requests held on three connections");
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
    public async Task Slow_header_senders_are_cut_off_after_the_head_timeout_their_address_gets_no_more_than_its_share_and_the_master_keeps_serving()
    {
        var secret = SwarmSecret.FromText("slowloris test secret", "test");
        await using var swarm = new TestSwarm(64 * 1024, secret: secret);
        swarm.MasterFolder.Write("a.bin", TestData.Random(1 << 20, 7));
        var master = await swarm.StartMasterAsync();
        var before = HttpConnection.HeadTimeout;
        HttpConnection.HeadTimeout = TimeSpan.FromSeconds(3);
        var slow = new List<TcpClient>();
        var streams = new List<NetworkStream>();
        try
        {
            // From another loopback address than the peer's: one address's share is 256 connections.
            var started = DateTime.UtcNow;
            for (int i = 0; i < 300; i++)
            {
                var c = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                await c.ConnectAsync(IPAddress.Loopback, master.Port);
                slow.Add(c);
                streams.Add(c.GetStream()); // taken once: a client whose write failed will not give it again
                await streams[i].WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{master.Port}\r\nX-Slow: "));
            }
            using var keepGoing = new CancellationTokenSource();
            var trickle = Task.Run(async () =>
            {
                // A byte every 200 ms: each one is progress, none of it is a whole head.
                while (!keepGoing.IsCancellationRequested)
                {
                    foreach (var c in streams) try { await c.WriteAsync(Encoding.ASCII.GetBytes("a")); } catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException) { }
                    await Task.Delay(200);
                }
            });

            var peer = await swarm.StartPeerAsync(swarm.NewFolder().Path, "p");
            await swarm.InSync(60, peer);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var view = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/swarm");
            view.Headers.Authorization = new("Bearer", secret.ReadToken);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(view)).StatusCode);

            // Every slow connection ends: 256 cut off at the deadline, the rest refused with 503 at once.
            var answers = await Task.WhenAll(streams.Select(c => RawHttp.ReadToEndAsync(c, TimeSpan.FromSeconds(30))));
            var took = DateTime.UtcNow - started;
            keepGoing.Cancel();
            await trickle;
            Assert.All(answers, a => Assert.NotNull(a));
            Assert.Equal(300 - HttpServer.DefaultMaxPerAddress, answers.Count(a => a!.StartsWith("HTTP/1.1 503 ", StringComparison.Ordinal)));
            Assert.Equal(HttpServer.DefaultMaxPerAddress, answers.Count(a => a!.Length == 0));
            Assert.True(took < TimeSpan.FromSeconds(25), $"slow connections lasted {took.TotalSeconds:F0} s");

            using var huge = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/swarm");
            huge.Headers.TryAddWithoutValidation("X-Huge", new string('h', 1 << 20));
            var refused = await http.SendAsync(huge);
            Assert.Equal((HttpStatusCode)431, refused.StatusCode);
        }
        finally
        {
            HttpConnection.HeadTimeout = before;
            foreach (var c in slow) c.Dispose();
        }
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_head_timeout_and_a_kept_one_after_the_idle_timeout()
    {
        var (head, idle) = (HttpConnection.HeadTimeout, HttpConnection.IdleTimeout);
        HttpConnection.HeadTimeout = TimeSpan.FromSeconds(1);
        HttpConnection.IdleTimeout = TimeSpan.FromSeconds(4);
        try
        {
            await using var server = HttpServer.Start("127.0.0.1", 0, (ctx, ct) => Task.CompletedTask);
            using var silent = new TcpClient();
            await silent.ConnectAsync(IPAddress.Loopback, server.Port);
            Assert.Equal("", await RawHttp.ReadToEndAsync(silent.GetStream(), TimeSpan.FromSeconds(10)));

            using var kept = new TcpClient();
            await kept.ConnectAsync(IPAddress.Loopback, server.Port);
            var stream = kept.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[4096];
            int n = await stream.ReadAsync(buffer).AsTask().Within(10);
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(buffer, 0, n));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal("", await RawHttp.ReadToEndAsync(stream, TimeSpan.FromSeconds(15)));
            Assert.True(waited.Elapsed.TotalSeconds is > 2 and < 12, $"closed after {waited.Elapsed.TotalSeconds:F1} s idle");
        }
        finally
        {
            (HttpConnection.HeadTimeout, HttpConnection.IdleTimeout) = (head, idle);
        }
    }
}
