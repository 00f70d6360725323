using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Storage;

/// <summary>How a peer's folder fills the places of a chunk that occurs several times (zero runs, duplicate files).</summary>
public class PeerFolderTests
{
    private const int Chunk = 4096;

    [Fact]
    public async Task A_repeated_chunk_fills_every_place_in_every_file_whatever_completes_meanwhile()
    {
        // The race that stalled peers: the zero chunk lands first in a.bin, and a.bin completes (is
        // renamed) when its other chunk arrives, while the copies to zeros.bin still read from it.
        // Many rounds, since it depends on timing.
        for (int round = 0; round < 100; round++)
        {
            using var master = new TempFolder();
            using var peer = new TempFolder();
            var a = new byte[2 * Chunk];
            TestData.Random(Chunk, round).CopyTo(a, Chunk);
            master.Write("a.bin", a);
            master.Write("zeros.bin", new byte[64 * Chunk + 5]);
            var manifest = await Scan(master);
            var folder = new PeerFolder(peer.Path);
            await folder.ApplyAsync(manifest, CancellationToken.None);

            var ids = manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct().ToList();
            await Task.WhenAll(ids.Select(id => Task.Run(() => Deliver(folder, master, manifest, id))));

            Assert.True(folder.InSync, $"round {round}: not in sync, {folder.Progress()}");
            FolderAssert.Identical(master.Path, peer.Path);
        }
    }

    [Fact]
    public async Task Two_fetches_of_a_repeated_chunk_get_different_places_and_a_third_gets_none_while_they_run()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var (folder, zero) = await TwoFilesOfOneZeroChunk(master, peer);

        var first = folder.TargetFor(zero);
        var second = folder.TargetFor(zero);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first.Value.FullPath, second.Value.FullPath);
        Assert.Null(folder.TargetFor(zero));
    }

    [Fact]
    public async Task A_chunk_is_being_written_while_every_place_of_it_is_taken_and_not_once_one_is_free_or_held()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var (folder, zero) = await TwoFilesOfOneZeroChunk(master, peer);

        var first = folder.TargetFor(zero)!.Value;
        Assert.False(folder.IsBeingWritten(zero)); // a second place is still free
        var second = folder.TargetFor(zero)!.Value;
        Assert.True(folder.IsBeingWritten(zero)); // a new order would wait for one of them

        await folder.ReleaseAsync(zero, second, CancellationToken.None);
        Assert.False(folder.IsBeingWritten(zero));
        await WriteAt(first, new byte[Chunk]);
        Assert.True(await folder.CommitAsync(zero, first, CancellationToken.None));
        Assert.False(folder.IsBeingWritten(zero));
    }

    [Fact]
    public async Task A_place_whose_fetch_fails_after_the_chunk_arrived_elsewhere_is_filled_from_the_held_copy()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var (folder, zero) = await TwoFilesOfOneZeroChunk(master, peer);

        var arrives = folder.TargetFor(zero)!.Value;
        var fails = folder.TargetFor(zero)!.Value;
        await WriteAt(arrives, new byte[Chunk]);
        Assert.True(await folder.CommitAsync(zero, arrives, CancellationToken.None));
        Assert.False(folder.InSync); // the other place is still being written by the second fetch

        await folder.ReleaseAsync(zero, fails, CancellationToken.None);

        Assert.True(folder.InSync);
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task Bytes_that_no_longer_match_when_copied_are_not_held_and_their_places_stay_to_fetch()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var (folder, zero) = await TwoFilesOfOneZeroChunk(master, peer);

        var target = folder.TargetFor(zero)!.Value;
        await WriteAt(target, TestData.Random(Chunk, 9)); // as if the disk changed the bytes after the fetch verified them

        Assert.False(await folder.CommitAsync(zero, target, CancellationToken.None));
        Assert.False(folder.Has(zero));
        Assert.NotNull(folder.TargetFor(zero));
    }

    [Fact]
    public async Task Held_chunk_counts_follow_every_commit_of_repeated_chunks_and_a_mismatch()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var a = new byte[3 * Chunk];
        TestData.Random(Chunk, 1).CopyTo(a, Chunk);
        master.Write("a.bin", a); // zero, random, zero
        master.Write("zeros.bin", new byte[2 * Chunk]);
        master.Write("c.bin", TestData.Random(Chunk, 2));
        var manifest = await Scan(master);
        var folder = new PeerFolder(peer.Path);
        await folder.ApplyAsync(manifest, CancellationToken.None);
        var ids = manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct().ToList();
        Assert.Equal((0, ids.Count), folder.ChunkCounts());

        var zero = manifest.Files.Single(f => f.Path == "zeros.bin").Chunks[0].Id;
        var bad = folder.TargetFor(zero)!.Value;
        await WriteAt(bad, TestData.Random(Chunk, 9));
        Assert.False(await folder.CommitAsync(zero, bad, CancellationToken.None));
        Assert.Equal((0, ids.Count), folder.ChunkCounts());
        Assert.Empty(folder.HaveIds());

        var delivered = new List<string>();
        foreach (var id in ids)
        {
            await Deliver(folder, master, manifest, id);
            delivered.Add(id);
            Assert.Equal((delivered.Count, ids.Count), folder.ChunkCounts());
            Assert.Equal(delivered.OrderBy(x => x), folder.HaveIds().OrderBy(x => x));
        }
        Assert.True(folder.InSync);
    }

    [Fact]
    public async Task The_resume_state_holds_only_files_of_several_chunks_with_some_verified_and_a_new_peer_resumes_from_it()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("big.bin", TestData.Random(4 * Chunk, 3));
        master.Write("other.bin", TestData.Random(3 * Chunk, 4));
        for (int i = 0; i < 20; i++) master.Write($"small/{i}.txt", TestData.Random(100 + i, 10 + i));
        var manifest = await Scan(master);
        var folder = new PeerFolder(peer.Path);
        await folder.ApplyAsync(manifest, CancellationToken.None);
        var big = manifest.Files.Single(f => f.Path == "big.bin");
        await Deliver(folder, master, manifest, big.Chunks[2].Id);
        folder.SaveState(force: true);

        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(peer.Path, ".lanscatter", "peer-state.json"))))
        {
            var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
            var only = Assert.Single(files);
            Assert.Equal("big.bin", only.GetProperty("path").GetString());
            Assert.Equal(new[] { 2 }, only.GetProperty("verified").EnumerateArray().Select(v => v.GetInt32()));
        }

        var restarted = new PeerFolder(peer.Path);
        await restarted.ApplyAsync(manifest, CancellationToken.None);
        Assert.Equal(Chunk, restarted.Progress().Done);
        Assert.True(restarted.Has(big.Chunks[2].Id));
        Assert.Equal(1, restarted.ChunkCounts().Held);
    }

    [Fact]
    public async Task Applying_keeps_the_partial_files_of_files_still_to_build_and_deletes_the_rest()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("done.bin", TestData.Random(3 * Chunk, 5));
        master.Write("todo.bin", TestData.Random(3 * Chunk, 6));
        var manifest = await Scan(master);
        var first = new PeerFolder(peer.Path);
        await first.ApplyAsync(manifest, CancellationToken.None);
        var partial = Path.Combine(peer.Path, ".lanscatter", "partial");
        var both = Directory.GetFiles(partial); // one partial file each, to be filled
        Assert.Equal(2, both.Length);

        // done.bin arrives whole by other means; its partial file and a stray one stay behind.
        File.Copy(master.Combine("done.bin"), peer.Combine("done.bin"));
        File.SetLastWriteTimeUtc(peer.Combine("done.bin"), File.GetLastWriteTimeUtc(master.Combine("done.bin")));
        File.WriteAllText(Path.Combine(partial, "stray.part"), "left by a crash");
        await new PeerFolder(peer.Path).ApplyAsync(manifest, CancellationToken.None);

        var left = Assert.Single(Directory.GetFiles(partial));
        Assert.Contains(left, both); // todo.bin's, still to be filled
        Assert.Equal(3 * Chunk, new FileInfo(left).Length);
    }

    // The master holds two files of one all-zero chunk each; the peer has applied that manifest.
    private static async Task<(PeerFolder Folder, string ZeroId)> TwoFilesOfOneZeroChunk(TempFolder master, TempFolder peer)
    {
        master.Write("a.bin", new byte[Chunk]);
        master.Write("b.bin", new byte[Chunk]);
        var manifest = await Scan(master);
        var folder = new PeerFolder(peer.Path);
        await folder.ApplyAsync(manifest, CancellationToken.None);
        return (folder, manifest.Files[0].Chunks[0].Id);
    }

    private static Task<FolderManifest> Scan(TempFolder master) =>
        FolderScanner.ScanAsync(master.Path, new ScanOptions { ChunkSize = Chunk, UseHashCache = false });

    // What a fetch does: reserve a place, write the master's bytes there, commit.
    private static async Task Deliver(PeerFolder folder, TempFolder master, FolderManifest manifest, string id)
    {
        var (file, chunk) = manifest.Files.SelectMany(f => f.Chunks.Select(c => (f, c))).First(p => p.c.Id == id);
        var target = folder.TargetFor(id);
        Assert.NotNull(target);
        Assert.True(await Delivery.DeliverAsync(folder, master, file, chunk, target.Value));
    }

    private static Task WriteAt(ChunkTarget target, byte[] bytes) => Delivery.WriteAtAsync(target, bytes);
}
