using LanScatter.Core.Diagnostics;
using LanScatter.Core.Hashing;
using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Manifest;

public class FolderScannerTests
{
    private const int Chunk = 64 * 1024;
    private static readonly ScanOptions Options = new() { ChunkSize = Chunk };

    [Fact]
    public async Task Chunks_cover_each_file_and_ids_are_blake2b_256_of_the_bytes()
    {
        using var dir = new TempFolder();
        var sizes = new[] { 0, 1, Chunk - 1, Chunk, Chunk + 1, Chunk + 2, Chunk * 5 + Chunk / 2, 3 * 128 * 1024 + 127 };
        var contents = sizes.ToDictionary(s => $"f{s}.bin", s => TestData.Random(s, s));
        foreach (var (name, bytes) in contents) dir.Write(name, bytes);

        var manifest = await FolderScanner.ScanAsync(dir.Path, Options);

        Assert.Equal(Chunk, manifest.ChunkSize);
        Assert.Equal(contents.Count, manifest.Files.Count);
        foreach (var f in manifest.Files)
        {
            var bytes = contents[f.Path];
            Assert.Equal(bytes.Length, f.Size);
            Assert.Equal((bytes.Length + Chunk - 1) / Chunk, f.Chunks.Count);
            foreach (var c in f.Chunks)
                Assert.Equal(Hex.Of(Blake2b.Hash(bytes.AsSpan((int)c.Offset, c.Length))), c.Id);
        }
        ManifestValidator.Validate(manifest);
    }

    [Fact]
    public async Task A_chunk_id_equals_what_b2sum_l256_prints_for_the_same_bytes()
    {
        using var dir = new TempFolder();
        dir.Write("one.bin", TestData.Random(Chunk, 99));
        var manifest = await FolderScanner.ScanAsync(dir.Path, Options);
        Assert.Equal(ReferenceBlake2b.HashFile(dir.Combine("one.bin")), manifest.Files[0].Chunks[0].Id);
    }

    [Fact]
    public async Task Lists_empty_folders_non_ascii_names_and_skips_the_state_folder()
    {
        using var dir = new TempFolder();
        dir.Write("Grüße/日本語.txt", "hi");
        dir.MakeDirectory("empty");
        dir.MakeDirectory("nested/deeper/empty");
        dir.Write(".lanscatter/junk", "state");

        var manifest = await FolderScanner.ScanAsync(dir.Path, Options);

        Assert.Equal(new[] { "Grüße/日本語.txt" }, manifest.Files.Select(f => f.Path));
        Assert.Equal(new[] { "empty", "nested/deeper/empty" }, manifest.EmptyDirectories);
    }

    [Fact]
    public async Task Files_are_sorted_by_path_and_mtime_is_utc()
    {
        using var dir = new TempFolder();
        dir.Write("b", "1");
        dir.Write("a/z", "2");
        dir.Write("a/b", "3");
        var manifest = await FolderScanner.ScanAsync(dir.Path, Options);
        Assert.Equal(new[] { "a/b", "a/z", "b" }, manifest.Files.Select(f => f.Path));
        Assert.All(manifest.Files, f => Assert.Equal(DateTimeKind.Utc, f.ModifiedUtc.Kind));
    }

    [Fact]
    public async Task Rescan_reuses_cached_hashes_of_unchanged_files_and_rehashes_changed_ones()
    {
        using var dir = new TempFolder();
        dir.Write("same.bin", TestData.Random(3 * Chunk, 1));
        var changing = dir.Write("changing.bin", TestData.Random(2 * Chunk, 2));
        var first = await FolderScanner.ScanAsync(dir.Path, Options);
        Assert.True(File.Exists(HashCache.PathIn(dir.Path)));

        var second = await ScanCounting(dir.Path);
        Assert.Equal(0, second.Progress.HashedBytes);
        Assert.Equal(5 * Chunk, second.Progress.ReusedBytes);
        Assert.Equal(ManifestJson.Serialize(first), ManifestJson.Serialize(second.Manifest()));

        File.WriteAllBytes(changing, TestData.Random(2 * Chunk, 3));
        File.SetLastWriteTimeUtc(changing, DateTime.UtcNow.AddMinutes(1));
        var third = await ScanCounting(dir.Path);
        Assert.Equal(2 * Chunk, third.Progress.HashedBytes);
        Assert.Equal(3 * Chunk, third.Progress.ReusedBytes);
        var changed = third.Manifest().Files.Single(f => f.Path == "changing.bin");
        Assert.Equal(Hex.Of(Blake2b.Hash(TestData.Random(2 * Chunk, 3).AsSpan(0, Chunk))), changed.Chunks[0].Id);
    }

    [Fact]
    public async Task Cache_is_not_used_for_a_different_chunk_size()
    {
        using var dir = new TempFolder();
        dir.Write("x.bin", TestData.Random(4 * Chunk, 4));
        await FolderScanner.ScanAsync(dir.Path, Options);
        var other = await FolderScanner.ScanAsync(dir.Path, new ScanOptions { ChunkSize = 2 * Chunk });
        Assert.Equal(2, other.Files[0].Chunks.Count);
        Assert.Equal(Hex.Of(Blake2b.Hash(TestData.Random(4 * Chunk, 4).AsSpan(0, 2 * Chunk))), other.Files[0].Chunks[0].Id);
    }

    [Fact]
    public async Task A_damaged_cache_is_ignored_not_fatal()
    {
        using var dir = new TempFolder();
        dir.Write("x.bin", TestData.Random(1000, 5));
        dir.Write(".lanscatter/hashcache.json", "{ this is not json");
        var manifest = await FolderScanner.ScanAsync(dir.Path, Options);
        Assert.Equal(Hex.Of(Blake2b.Hash(TestData.Random(1000, 5))), manifest.Files[0].Chunks[0].Id);
    }

    [Fact]
    public async Task Missing_folder_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => FolderScanner.ScanAsync("/no/such/folder/anywhere"));
        Assert.Equal("FolderNotFound", ex.ErrorId);
        Assert.Contains("/no/such/folder/anywhere", ex.Message);
    }

    [UnixFact("such a name cannot even be created on Windows")]
    public async Task A_name_windows_cannot_hold_is_refused_naming_the_file()
    {
        using var dir = new TempFolder();
        dir.Write("report: final.txt", "x");
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => FolderScanner.ScanAsync(dir.Path, Options));
        Assert.Equal("UnsupportedName", ex.ErrorId);
        Assert.Contains("report: final.txt", ex.Message);
    }

    [Fact]
    public async Task Names_differing_only_in_case_are_refused()
    {
        if (!OperatingSystem.IsLinux()) return; // only case-sensitive file systems can hold both
        using var dir = new TempFolder();
        dir.Write("Readme.txt", "1");
        dir.Write("README.txt", "2");
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => FolderScanner.ScanAsync(dir.Path, Options));
        Assert.Contains("collides", ex.Message);
    }

    [Fact]
    public async Task Chunk_hasher_reports_an_unreadable_file_by_name()
    {
        var ex = await Assert.ThrowsAsync<LanScatterException>(() =>
            new ChunkHasher().HashAsync(new[] { new ChunkSource("/no/such/file.bin", 0, 10) }));
        Assert.Equal("FileUnreadable", ex.ErrorId);
        Assert.Contains("/no/such/file.bin", ex.Message);
    }

    [Fact]
    public async Task Chunk_hasher_gives_correct_ids_for_many_chunks_of_mixed_lengths()
    {
        using var dir = new TempFolder();
        var data = TestData.Random(3 << 20, 77);
        var path = dir.Write("data.bin", data);
        var rng = new Random(3);
        var sources = Enumerable.Range(0, 45).Select(_ =>
        {
            int length = rng.Next(1, 200_000);
            long offset = rng.Next(0, data.Length - length);
            return new ChunkSource(path, offset, length);
        }).ToList();
        var ids = await new ChunkHasher(workers: 2, sliceBytes: 16 * 1024).HashAsync(sources);
        for (int i = 0; i < sources.Count; i++)
            Assert.Equal(Hex.Of(Blake2b.Hash(data.AsSpan((int)sources[i].Offset, sources[i].Length))), ids[i]);
    }

    private static async Task<(Func<FolderManifest> Manifest, ScanProgress Progress)> ScanCounting(string root)
    {
        var last = new ScanProgress();
        var progress = new SyncProgress(p => last = p);
        var manifest = await FolderScanner.ScanAsync(root, Options with { Progress = progress });
        return (() => manifest, last);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
    private sealed class SyncProgress(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        private readonly object _gate = new();
        public void Report(ScanProgress value) { lock (_gate) report(value); }
    }

    [Fact]
    public async Task A_cache_kept_across_rescans_is_written_only_when_something_changed()
    {
        using var dir = new TempFolder();
        dir.Write("a.txt", "first");
        dir.Write("b.txt", "second");
        var options = Options with { Cache = HashCache.Load(dir.Path) };
        var first = await FolderScanner.ScanAsync(dir.Path, options);
        var cacheFile = HashCache.PathIn(dir.Path);
        File.SetLastWriteTimeUtc(cacheFile, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var unchanged = await FolderScanner.ScanAsync(dir.Path, options);

        Assert.Equal(ManifestJson.Serialize(first), ManifestJson.Serialize(unchanged));
        Assert.Equal(2001, File.GetLastWriteTimeUtc(cacheFile).Year); // not rewritten

        dir.Write("b.txt", "second, changed");
        File.SetLastWriteTimeUtc(dir.Combine("b.txt"), DateTime.UtcNow.AddMinutes(1)); // a time the cache has not seen
        var changed = await FolderScanner.ScanAsync(dir.Path, options);

        Assert.Equal(ChunkId.Of(System.Text.Encoding.UTF8.GetBytes("second, changed")), changed.Files.Single(f => f.Path == "b.txt").Chunks[0].Id);
        Assert.NotEqual(2001, File.GetLastWriteTimeUtc(cacheFile).Year);
        Assert.Equal(ManifestJson.Serialize(changed), ManifestJson.Serialize(await FolderScanner.ScanAsync(dir.Path, Options))); // what a fresh load of the cache gives
    }
}

[Collection(SerialCollection.Name)]
public class FolderScannerMemoryTests
{
    [Fact]
    public async Task Hashing_a_large_file_allocates_a_small_fraction_of_its_size()
    {
        using var dir = new TempFolder();
        const long size = 256L << 20;
        using (var f = File.Create(dir.Combine("sparse.bin"))) f.SetLength(size);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var manifest = await FolderScanner.ScanAsync(dir.Path, new ScanOptions { ChunkSize = 4 << 20, UseHashCache = false });
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(64, manifest.Files[0].Chunks.Count);
        Assert.True(allocated < size / 8, $"allocated {allocated} bytes to hash {size}");
    }
}
