using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Manifest;

public class LocalDiffTests
{
    private const int Chunk = 16 * 1024;
    private static readonly ScanOptions Options = new() { ChunkSize = Chunk, UseHashCache = false };

    [Fact]
    public async Task An_identical_copy_is_in_sync()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        foreach (var d in new[] { master, peer })
        {
            d.Write("a/b.bin", TestData.Random(3 * Chunk + 5, 1));
            d.MakeDirectory("empty");
        }
        var manifest = await FolderScanner.ScanAsync(master.Path, Options);
        var diff = await LocalDiff.ComputeAsync(peer.Path, manifest);
        Assert.True(diff.InSync);
    }

    [Fact]
    public async Task Ids_known_for_a_file_of_that_size_and_time_are_trusted_instead_of_hashing_it_again()
    {
        // A peer passes its hash cache from memory: for a million files, reading it from disk at every
        // manifest cost seconds. Known ids are taken as they are (here wrongly, to show no hashing happened).
        using var master = new TempFolder();
        using var peer = new TempFolder();
        foreach (var d in new[] { master, peer })
        {
            d.Write("known.bin", TestData.Random(2 * Chunk, 4));
            d.Write("unknown.bin", TestData.Random(Chunk, 5));
        }
        var manifest = await FolderScanner.ScanAsync(master.Path, Options);
        var asked = new List<string>();
        var diff = await LocalDiff.ComputeAsync(peer.Path, manifest, cachedIds: (path, size, time, chunkSize) =>
        {
            asked.Add(path);
            return path == "known.bin" ? new[] { new string('0', 64), manifest.Files.Single(f => f.Path == "known.bin").Chunks[1].Id } : null;
        });

        Assert.Equal(new[] { "known.bin", "unknown.bin" }, asked.OrderBy(p => p));
        var known = diff.Files.Single(f => f.File.Path == "known.bin");
        Assert.Equal(FileState.Partial, known.State); // chunk 0 taken as the (wrong) cached id, not hashed
        Assert.Equal(new[] { 1 }, known.PresentChunks);
        Assert.Equal(FileState.Complete, diff.Files.Single(f => f.File.Path == "unknown.bin").State); // hashed
        Assert.Equal(File.GetLastWriteTimeUtc(peer.Combine("known.bin")), known.LocalModifiedUtc);
    }

    [Fact]
    public async Task Finds_present_chunks_extra_entries_missing_folders_and_conflicts()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var full = TestData.Random(4 * Chunk, 2);
        master.Write("partial.bin", full);
        master.Write("missing.bin", TestData.Random(Chunk, 3));
        master.Write("was-a-folder", "now a file");
        master.MakeDirectory("keep/empty");

        var corrupted = (byte[])full.Clone();
        corrupted[Chunk + 10] ^= 0xFF;            // chunk 1 damaged
        peer.Write("partial.bin", corrupted.AsSpan(0, 3 * Chunk).ToArray()); // chunk 3 absent
        peer.Write("stale.txt", "old");
        peer.Write("old-dir/inner.txt", "old");
        peer.MakeDirectory("was-a-folder");

        var manifest = await FolderScanner.ScanAsync(master.Path, Options);
        var diff = await LocalDiff.ComputeAsync(peer.Path, manifest);

        var partial = diff.Files.Single(f => f.File.Path == "partial.bin");
        Assert.Equal(FileState.Partial, partial.State);
        Assert.Equal(new[] { 0, 2 }, partial.PresentChunks);
        Assert.True(partial.SizeDiffers);
        Assert.Equal(FileState.Missing, diff.Files.Single(f => f.File.Path == "missing.bin").State);
        Assert.True(diff.Files.Single(f => f.File.Path == "was-a-folder").FolderInTheWay);
        Assert.Equal(new[] { "old-dir/inner.txt", "stale.txt" }, diff.ExtraFiles.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Contains("old-dir", diff.ExtraDirectories);
        Assert.Contains("was-a-folder", diff.ExtraDirectories);
        Assert.Equal(new[] { "keep/empty" }, diff.MissingDirectories);
        Assert.False(diff.InSync);
    }

    [Fact]
    public async Task Valid_chunks_are_indexed_by_id_for_local_copies()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var shared = TestData.Random(Chunk, 9);
        master.Write("one.bin", shared);
        master.Write("two.bin", shared.Concat(new byte[] { 1, 2 }).ToArray());
        peer.Write("one.bin", shared);

        var manifest = await FolderScanner.ScanAsync(master.Path, Options);
        var diff = await LocalDiff.ComputeAsync(peer.Path, manifest);

        var id = manifest.Files[0].Chunks[0].Id;
        Assert.Equal(id, manifest.Files[1].Chunks[0].Id);
        Assert.True(diff.LocalChunks.ContainsKey(id));
        Assert.Equal(peer.Combine("one.bin"), diff.LocalChunks[id].FullPath);
        Assert.Equal(FileState.Missing, diff.Files.Single(f => f.File.Path == "two.bin").State);
    }
}
