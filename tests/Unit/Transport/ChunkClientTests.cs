using System.Net;
using System.Net.Sockets;
using System.Text;
using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Chunks;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>The chunk client over real sockets on loopback: kept connections, sources that close them, cut bodies, cancellation, large reads.</summary>
public class ChunkClientTests
{
    /// <summary>A source that plays scripted answers over raw TCP and counts the connections it accepted.</summary>
    private sealed class ScriptedSource : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Func<int, Socket, Task> _answer;
        private int _requests;

        /// <param name="answer">Given the request's number (from 0) and the connection, answers it (or not).</param>
        public ScriptedSource(Func<int, Socket, Task> answer)
        {
            _answer = answer;
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Connections;

        /// <summary>The head of the last request, as it came.</summary>
        public string? LastRequest;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

        private async Task AcceptLoopAsync()
        {
            while (true)
            {
                Socket socket;
                try { socket = await _listener.AcceptSocketAsync(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref Connections);
                _ = ServeAsync(socket);
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            try
            {
                var head = new StringBuilder();
                var one = new byte[1];
                while (true)
                {
                    head.Clear();
                    while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                    {
                        if (await socket.ReceiveAsync(one, SocketFlags.None) == 0) return;
                        head.Append((char)one[0]);
                    }
                    Volatile.Write(ref LastRequest, head.ToString());
                    await _answer(Interlocked.Increment(ref _requests) - 1, socket);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The client went away, or the script closed the connection.
            }
        }

        public void Dispose() => _listener.Stop();
    }

    private static Task Send(Socket socket, string text) => socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    private static async Task<string> BodyOf(ChunkResponse response)
    {
        var buffer = new byte[1024];
        int n = await response.FillAsync(buffer, 0, buffer.Length);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task Requests_to_one_source_one_after_another_share_one_kept_connection()
    {
        using var source = new ScriptedSource((i, s) => Send(s, $"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nbody {i}"));
        using var client = new ChunkClient();
        for (int i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(source.Url("/chunks/x"), null, CancellationToken.None).Within(30);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal($"body {i}", await BodyOf(response).Within(30));
        }
        Assert.Equal(1, source.Connections);
    }

    [Fact]
    public async Task A_kept_connection_the_source_closes_on_the_next_request_is_replaced_and_the_request_succeeds()
    {
        using var source = new ScriptedSource(async (i, s) =>
        {
            if (i == 1) { s.Dispose(); return; } // the second request lands on a connection the source gives up
            await Send(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        using var client = new ChunkClient();
        for (int i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync(source.Url("/chunks/x"), null, CancellationToken.None).Within(30);
            Assert.Equal("ok", await BodyOf(response).Within(30));
        }
        Assert.Equal(2, source.Connections);
    }

    [Fact]
    public async Task A_new_connection_closed_without_an_answer_is_the_sources_failure()
    {
        using var source = new ScriptedSource((_, s) => { s.Dispose(); return Task.CompletedTask; });
        using var client = new ChunkClient();
        var error = await Assert.ThrowsAsync<IOException>(() => client.GetAsync(source.Url("/chunks/x"), null, CancellationToken.None).Within(30));
        Assert.Contains("without answering", error.Message);
        Assert.Equal(1, source.Connections);
    }

    [Fact]
    public async Task A_body_cut_short_ends_early_and_its_connection_is_not_kept()
    {
        using var source = new ScriptedSource(async (i, s) =>
        {
            await Send(s, i == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            if (i == 0) s.Dispose();
        });
        using var client = new ChunkClient();
        using (var cut = await client.GetAsync(source.Url("/chunks/x"), null, CancellationToken.None).Within(30))
            Assert.Equal("abc", await BodyOf(cut).Within(30));
        using (var next = await client.GetAsync(source.Url("/chunks/x"), null, CancellationToken.None).Within(30))
            Assert.Equal("ok", await BodyOf(next).Within(30));
        Assert.Equal(2, source.Connections);
    }

    [Fact]
    public async Task Cancelling_a_read_that_waits_for_a_stalled_source_ends_it_as_cancelled()
    {
        using var source = new ScriptedSource((_, s) => Send(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nabc"));
        using var client = new ChunkClient();
        using var cancel = new CancellationTokenSource();
        using var response = await client.GetAsync(source.Url("/chunks/x"), null, cancel.Token).Within(30);
        var reading = response.FillAsync(new byte[100000], 0, 100000);
        await Task.Delay(200);
        Assert.False(reading.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.Within(30));
    }

    [Fact]
    public async Task The_request_carries_the_members_signature_for_its_path()
    {
        using var source = new ScriptedSource((_, s) => Send(s, "HTTP/1.1 204 No Content\r\n\r\n"));
        using var client = new ChunkClient();
        using (var response = await client.GetAsync(source.Url("/chunks/abc"), "LanScatter mac", CancellationToken.None).Within(30))
            Assert.Equal(204, response.StatusCode);
        var seen = Volatile.Read(ref source.LastRequest);
        Assert.StartsWith("GET /chunks/abc HTTP/1.1\r\n", seen);
        Assert.Contains($"\r\nHost: 127.0.0.1:{source.Port}\r\n", seen);
        Assert.Contains("\r\nAuthorization: LanScatter mac\r\n", seen);
    }

    [Fact]
    public async Task An_unreachable_source_fails_as_unreachable()
    {
        int port = TestSwarm.FreePort();
        using var client = new ChunkClient();
        var fetcher = new ChunkFetcher(client, new TokenBucket(), null);
        using var folder = new TempFolder();
        var outcome = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/chunks/x"), "x", new ChunkTarget(folder.Combine("f"), 0, 10, WholeFile: true), _ => { }, CancellationToken.None).Within(30);
        Assert.False(outcome.Ok);
        Assert.True(outcome.SourceAtFault);
        Assert.StartsWith("source unreachable", outcome.Error);
    }

    [UnixFact("Windows has no receive low-water mark for TCP")]
    public void The_low_water_mark_takes_effect_on_this_platform()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.True(ReceiveLowWater.TrySet(socket, 200 * 1024));
        Assert.Equal(200 * 1024, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater)!);
    }

    [UnixFact("Windows has no receive low-water mark: there a piece is what one read brings")]
    public async Task A_large_chunk_arrives_whole_in_pieces_of_the_full_size()
    {
        using var folder = new TempFolder();
        var data = TestData.Random(4 * 1024 * 1024 + 1000, seed: 7);
        var path = folder.Write("big.bin", data);
        var id = ChunkId.Of(data);
        await using var server = HttpServer.Start("127.0.0.1", 0, (context, token) =>
            ChunkResponder.ServeAsync(context, i => i == id ? new ChunkSource(path, 0, data.Length) : null, null, new TokenBucket(), _ => { }, token));
        using var client = new ChunkClient();
        var fetcher = new ChunkFetcher(client, new TokenBucket(), null);
        var pieces = new List<long>();
        var outcome = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{server.Port}{ChunkResponder.Prefix}{id}"), id,
            new ChunkTarget(folder.Combine("copy.bin"), 0, data.Length, WholeFile: true), pieces.Add, CancellationToken.None).Within(60);
        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal(data, File.ReadAllBytes(folder.Combine("copy.bin")));
        // Every piece but the last is full however the packets came: one hash update and one write each.
        Assert.All(pieces.Take(pieces.Count - 1), n => Assert.Equal(ChunkFetcher.PieceBytes, n));
        Assert.Equal(data.Length % ChunkFetcher.PieceBytes, pieces[^1]);
    }
}
