using System.Net;
using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>A peer serving chunks over a real HTTP socket on loopback: ones it is still receiving (relays), and held ones.</summary>
public class RelayResponderTests
{
    private sealed class Node : IAsyncDisposable
    {
        public readonly TempFolder Folder = new();
        public readonly ArrivingChunks Arriving = new();
        public ChunkSource? Held;
        public readonly HttpServer Server;
        public readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

        public Node()
        {
            Server = HttpServer.Start("127.0.0.1", 0, (context, token) =>
                ChunkResponder.ServeAsync(context, _ => Held, Arriving, new TokenBucket(), _ => { }, token));
        }

        public Uri Url(string id) => new($"http://127.0.0.1:{Server.Port}{ChunkResponder.Prefix}{id}");

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static (byte[] Data, string Id, ChunkTarget Target) Chunk(Node node, int length)
    {
        var data = TestData.Random(length, seed: length);
        var path = Path.Combine(node.Folder.Path, "part.bin");
        File.WriteAllBytes(path, new byte[length + 1000]);
        return (data, ChunkId.Of(data), new ChunkTarget(path, 1000, length));
    }

    private static void WriteAt(ChunkTarget target, byte[] data, int from, int count)
    {
        using var f = new FileStream(target.FullPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        f.Position = target.Offset + from;
        f.Write(data, from, count);
    }

    // The chunk is arriving with its first `arrived` bytes on disk when a relay request comes in.
    private static async Task<(byte[] Data, string Id, ChunkTarget Target, ArrivingChunk Arriving, Task<byte[]> Request)> RequestWhileArrivingAsync(Node node, int length, int arrived)
    {
        var (data, id, target) = Chunk(node, length);
        var arriving = node.Arriving.Begin(id, target);
        WriteAt(target, data, 0, arrived);
        arriving.Advance(arrived);
        var request = node.Http.GetByteArrayAsync(node.Url(id));
        await Task.Delay(300);
        return (data, id, target, arriving, request);
    }

    [Fact]
    public async Task Bytes_go_out_as_they_arrive_and_the_whole_chunk_is_served()
    {
        await using var node = new Node();
        var (data, id, target, arriving, request) = await RequestWhileArrivingAsync(node, 300_000, arrived: 100_000);
        Assert.False(request.IsCompleted); // waiting for the rest, not cut short
        WriteAt(target, data, 100_000, 200_000);
        arriving.Advance(200_000);
        node.Held = new ChunkSource(target.FullPath, target.Offset, target.Length);
        node.Arriving.End(id, arriving, ok: true);

        Assert.Equal(data, await request.Within(30));
    }

    [Fact]
    public async Task A_relay_request_that_overtakes_the_fetch_order_waits_for_it()
    {
        await using var node = new Node();
        var (data, id, target) = Chunk(node, 50_000);
        var request = node.Http.GetByteArrayAsync(node.Url(id)); // before this node starts fetching
        await Task.Delay(200);
        var arriving = node.Arriving.Begin(id, target);
        WriteAt(target, data, 0, data.Length);
        arriving.Advance(data.Length);
        Assert.Equal(data, await request.Within(30));
    }

    [Fact]
    public async Task A_chunk_that_becomes_held_while_a_request_waits_is_served()
    {
        // The fetch finished and its chunk was committed just before the request looked for it
        // among arriving chunks: the request must find it held rather than wait for a fetch.
        await using var node = new Node();
        var (data, id, target) = Chunk(node, 40_000);
        WriteAt(target, data, 0, data.Length);
        var request = node.Http.GetByteArrayAsync(node.Url(id));
        await Task.Delay(300);
        node.Held = new ChunkSource(target.FullPath, target.Offset, target.Length);
        Assert.Equal(data, await request.Within(30));
    }

    [Fact]
    public async Task When_the_chunk_fails_to_arrive_the_response_is_cut_short()
    {
        await using var node = new Node();
        var (_, id, _, arriving, request) = await RequestWhileArrivingAsync(node, 300_000, arrived: 100_000);
        node.Arriving.End(id, arriving, ok: false);
        var error = await Record.ExceptionAsync(() => request.Within(30));
        Assert.True(error is HttpRequestException or IOException, error?.ToString() ?? "the response completed");
    }

    [Fact]
    public async Task A_chunk_neither_held_nor_arriving_is_not_found()
    {
        await using var node = new Node();
        var id = ChunkId.Of(new byte[] { 1, 2, 3 });
        var response = await node.Http.GetAsync(node.Url(id)).Within(30); // waits the relay start time, then 404
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_held_chunk_whose_file_took_its_final_name_after_being_located_is_still_served()
    {
        await using var node = new Node();
        var data = TestData.Random(4096, 7);
        var final = node.Folder.Write("final.bin", data);
        var partial = Path.Combine(node.Folder.Path, "gone.part"); // where it was a moment ago
        int asked = 0;
        await using var server = HttpServer.Start("127.0.0.1", 0, (context, token) => ChunkResponder.ServeAsync(context,
            _ => Interlocked.Increment(ref asked) == 1 ? new ChunkSource(partial, 0, data.Length) : new ChunkSource(final, 0, data.Length),
            null, new TokenBucket(), _ => { }, token));

        var bytes = await node.Http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{server.Port}{ChunkResponder.Prefix}{ChunkId.Of(data)}")).Within(10);

        Assert.Equal(data, bytes);
        Assert.Equal(2, asked);
    }
}
