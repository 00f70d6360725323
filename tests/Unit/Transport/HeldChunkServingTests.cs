using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Chunks;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>
/// Held chunks served from their file (sendfile on .NET 8+) and fetched by the chunk client, over a
/// real socket on loopback: the exact range of the file, counted as sent, and a file cut while it is
/// being sent ends as a failed transfer, never as a hang or a chunk taken for whole.
/// </summary>
public class HeldChunkServingTests
{
    private sealed class Source : IAsyncDisposable
    {
        public readonly TempFolder Folder = new();
        public ChunkSource? Held;
        public Action<long> Sent = _ => { };
        public readonly HttpServer Server;

        public Source(TokenBucket? upload = null)
        {
            Server = HttpServer.Start("127.0.0.1", 0, (context, token) =>
                ChunkResponder.ServeAsync(context, _ => Held, null, upload ?? new TokenBucket(), n => Sent(n), token));
        }

        public Uri Url(string id) => new($"http://127.0.0.1:{Server.Port}{ChunkResponder.Prefix}{id}");

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static Task<FetchOutcome> FetchAsync(Source source, string id, TempFolder into, int length, TokenBucket? download = null)
    {
        var client = new ChunkClient();
        var fetcher = new ChunkFetcher(client, download ?? new TokenBucket(), null);
        return fetcher.FetchAsync(source.Url(id), id, new ChunkTarget(into.Combine("copy.bin"), 0, length, WholeFile: true), _ => { }, CancellationToken.None)
            .ContinueWith(t => { client.Dispose(); return t.Result; });
    }

    [Fact]
    public async Task A_chunk_in_the_middle_of_a_file_is_served_exactly_and_counted_as_sent()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var file = TestData.Random(3 * 1024 * 1024, seed: 11);
        int offset = 777_777, length = 1_500_001;
        var chunk = file.AsSpan(offset, length).ToArray();
        var id = ChunkId.Of(chunk);
        source.Held = new ChunkSource(source.Folder.Write("file.bin", file), offset, length);
        long sent = 0;
        source.Sent = n => Interlocked.Add(ref sent, n);

        var outcome = await FetchAsync(source, id, into, length).Within(60);

        Assert.True(outcome.Ok, outcome.Error);
        Assert.Equal(chunk, File.ReadAllBytes(into.Combine("copy.bin")));
        await Timeouts.Until(() => Interlocked.Read(ref sent) == length, 10, "all bytes counted as sent");
    }

    [Fact]
    public async Task A_file_cut_shorter_while_it_is_sent_ends_the_transfer_as_failed()
    {
        await using var source = new Source(new TokenBucket(TokenBucket.FromMbit(40))); // 1.25 MiB chunk: about 4 pieces a second
        using var into = new TempFolder();
        var data = TestData.Random(5 * 1024 * 1024 / 4, seed: 12);
        var id = ChunkId.Of(data);
        var path = source.Folder.Write("file.bin", data);
        source.Held = new ChunkSource(path, 0, data.Length);
        int cut = 0;
        source.Sent = _ =>
        {
            if (Interlocked.Exchange(ref cut, 1) != 0) return;
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            f.SetLength(300_000); // after the first piece: the next ones run past the end
        };

        var outcome = await FetchAsync(source, id, into, data.Length).Within(60);

        Assert.False(outcome.Ok);
        Assert.True(outcome.SourceAtFault);
        Assert.True(outcome.Bytes < data.Length, $"{outcome.Bytes} bytes arrived");
    }

    [Fact]
    public async Task A_file_already_shorter_than_its_chunk_ends_the_transfer_as_failed()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var data = TestData.Random(600_000, seed: 13);
        var id = ChunkId.Of(data);
        source.Held = new ChunkSource(source.Folder.Write("file.bin", data.AsSpan(0, 400_000).ToArray()), 0, data.Length);

        var outcome = await FetchAsync(source, id, into, data.Length).Within(60);

        Assert.False(outcome.Ok);
        Assert.True(outcome.SourceAtFault);
        Assert.True(outcome.Bytes <= 400_000, $"{outcome.Bytes} bytes arrived");
    }
}
