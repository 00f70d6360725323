using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Chunks;
using LanScatter.Core.Transport.Http;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>
/// A bundle over a real socket: the source sends the chunks one after the other, the receiver writes
/// each into its own new file and verifies each on its own, so one bad part costs only itself.
/// </summary>
public class BundleTransferTests
{
    private sealed class Source : IAsyncDisposable
    {
        public readonly TempFolder Folder = new();
        public readonly Dictionary<string, ChunkSource> Held = new(StringComparer.Ordinal);
        public readonly HttpServer Server;

        public Source()
        {
            Server = HttpServer.Start("127.0.0.1", 0, (context, token) =>
                ChunkResponder.ServeAsync(context, id => Held.TryGetValue(id, out var s) ? s : null, null, new TokenBucket(), _ => { }, token));
        }

        // A small file the source holds: its id is that of `claimed` (the bytes it should have).
        public string Add(string name, byte[] content, byte[]? claimed = null)
        {
            var path = Folder.Write(name, content);
            var id = ChunkId.Of(claimed ?? content);
            Held[id] = new ChunkSource(path, 0, content.Length);
            return id;
        }

        public Uri Url(IEnumerable<string> ids) => new($"http://127.0.0.1:{Server.Port}{BundleResponder.PathOf(ids)}");

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static async Task<(BundleOutcome Outcome, List<string> Places)> FetchAsync(Source source, TempFolder into, IReadOnlyList<(string Id, int Length)> parts)
    {
        using var client = new ChunkClient();
        var fetcher = new ChunkFetcher(client, new TokenBucket(), null);
        var places = parts.Select((_, i) => into.Combine($"part{i}")).ToList();
        var bundle = parts.Select((p, i) => new BundlePart(p.Id, new ChunkTarget(places[i], 0, p.Length, WholeFile: true))).ToList();
        var outcome = await fetcher.FetchBundleAsync(source.Url(parts.Select(p => p.Id)), bundle, (_, _) => { }, CancellationToken.None).Within(30);
        return (outcome, places);
    }

    [Fact]
    public async Task Every_part_arrives_in_its_own_new_file_and_is_verified()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var contents = Enumerable.Range(0, 40).Select(i => TestData.Random(50 + i * 997, i)).ToList(); // some over 64 KiB together
        var ids = contents.Select((c, i) => source.Add($"f{i}", c)).ToList();
        File.WriteAllText(into.Combine("part3"), "left by an earlier attempt, longer than the part it will hold");

        var (outcome, places) = await FetchAsync(source, into, ids.Select((id, i) => (id, contents[i].Length)).ToList());

        Assert.All(Enumerable.Range(0, 40), i => Assert.True(outcome.Verified(i), $"part {i}: {outcome.Errors[i]}"));
        Assert.Equal(contents.Sum(c => (long)c.Length), outcome.Bytes);
        for (int i = 0; i < 40; i++) Assert.Equal(contents[i], File.ReadAllBytes(places[i]));
    }

    [Fact]
    public async Task A_part_with_wrong_bytes_fails_alone_as_a_hash_mismatch()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var good1 = source.Add("a", TestData.Random(300, 1));
        var wanted = TestData.Random(400, 2);
        var bad = source.Add("b", TestData.Random(400, 3), claimed: wanted);
        var good2 = source.Add("c", TestData.Random(500, 4));

        var (outcome, _) = await FetchAsync(source, into, new[] { (good1, 300), (bad, 400), (good2, 500) });

        Assert.True(outcome.Verified(0));
        Assert.Equal(ChunkFetcher.HashMismatch, outcome.Errors[1]);
        Assert.True(outcome.Verified(2));
    }

    [Fact]
    public async Task Parts_split_between_reads_and_parts_hashed_together_are_each_verified_on_their_own()
    {
        // 80 files of 20–60 KiB (3 MiB): most lie whole in one read and are hashed together in
        // lanes, some are split between reads; one bad part of each kind fails alone.
        await using var source = new Source();
        using var into = new TempFolder();
        var contents = Enumerable.Range(0, 80).Select(i => TestData.Random(20_000 + i * 523, i)).ToList();
        var offsets = new long[contents.Count + 1];
        for (int i = 0; i < contents.Count; i++) offsets[i + 1] = offsets[i] + contents[i].Length;
        int split = Enumerable.Range(0, contents.Count).First(i => offsets[i] / ChunkFetcher.BundlePieceBytes != (offsets[i + 1] - 1) / ChunkFetcher.BundlePieceBytes);
        int inLanes = 5;
        var ids = contents.Select((c, i) => i == split || i == inLanes
            ? source.Add($"f{i}", c, claimed: TestData.Random(c.Length, 1000 + i))
            : source.Add($"f{i}", c)).ToList();

        var (outcome, places) = await FetchAsync(source, into, ids.Select((id, i) => (id, contents[i].Length)).ToList());

        for (int i = 0; i < contents.Count; i++)
        {
            if (i == split || i == inLanes) Assert.Equal(ChunkFetcher.HashMismatch, outcome.Errors[i]);
            else Assert.True(outcome.Verified(i), $"part {i}: {outcome.Errors[i]}");
            Assert.Equal(contents[i], File.ReadAllBytes(places[i]));
        }
        Assert.False(outcome.SourceAtFault);
    }

    [Fact]
    public async Task A_bundle_naming_a_chunk_the_source_lacks_is_refused_whole()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var known = source.Add("a", TestData.Random(300, 1));
        var unknown = ChunkId.Of(TestData.Random(10, 5));

        var (outcome, places) = await FetchAsync(source, into, new[] { (known, 300), (unknown, 10) });

        Assert.All(outcome.Errors, e => Assert.Equal("source answered 404", e));
        Assert.True(outcome.SourceAtFault);
        Assert.All(places, p => Assert.False(File.Exists(p)));
    }

    [Fact]
    public async Task A_source_file_that_shrank_cuts_the_bundle_short_and_the_parts_before_it_are_kept()
    {
        await using var source = new Source();
        using var into = new TempFolder();
        var first = TestData.Random(200_000, 1);
        var a = source.Add("a", first);
        var b = source.Add("b", TestData.Random(200_000, 2));
        File.WriteAllBytes(source.Folder.Combine("b"), new byte[10]); // shrank after the master located it

        var (outcome, places) = await FetchAsync(source, into, new[] { (a, 200_000), (b, 200_000) });

        Assert.True(outcome.Verified(0));
        Assert.Equal(first, File.ReadAllBytes(places[0]));
        Assert.False(outcome.Verified(1));
        Assert.True(outcome.SourceAtFault);
    }
}
