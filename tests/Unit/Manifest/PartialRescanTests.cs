using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Manifest;

/// <summary>
/// A rescan of the paths a watcher reported gives the manifest a whole scan gives, whatever the
/// change: files and folders added, rewritten, moved, deleted, folders emptied, links, excluded and
/// nested LanScatter folders, reports of a path inside a folder that is gone.
/// </summary>
public class PartialRescanTests
{
    private const int Chunk = 4096;

    [Fact]
    public async Task Random_changes_rescanned_by_their_paths_give_what_a_whole_scan_gives()
    {
        for (int seed = 1; seed <= 12; seed++)
        {
            using var dir = new TempFolder();
            var random = new Random(seed);
            for (int i = 0; i < 25; i++) dir.Write($"d{random.Next(4)}/s{random.Next(2)}/f{i}.bin", TestData.Random(random.Next(0, 3 * Chunk), random.Next()));
            var manifest = await Whole(dir);
            for (int round = 0; round < 10; round++)
            {
                var reported = Change(dir, random);
                var partial = await PartialRescan.RescanAsync(dir.Path, manifest, reported, Options(), CancellationToken.None);
                Assert.NotNull(partial);
                var whole = await Whole(dir);
                Assert.True(ManifestJson.Serialize(whole) == ManifestJson.Serialize(partial), $"seed {seed}, round {round}, reported {string.Join(", ", reported)}");
                manifest = partial;
            }
        }
    }

    [Fact]
    public async Task A_path_reported_inside_a_folder_that_is_gone_rescans_from_that_folder()
    {
        using var dir = new TempFolder();
        dir.Write("keep.txt", "k");
        dir.Write("gone/a.txt", "a");
        dir.Write("gone/b.txt", "b");
        var manifest = await Whole(dir);
        Directory.Delete(dir.Combine("gone"), recursive: true);

        // Only one file's event arrived, not the folder's.
        var partial = await PartialRescan.RescanAsync(dir.Path, manifest, new[] { "gone/a.txt" }, Options(), CancellationToken.None);
        Assert.Equal(new[] { "keep.txt" }, partial!.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task A_reported_folder_that_became_another_LanScatter_folder_is_left_out_as_a_whole_scan_leaves_it()
    {
        using var dir = new TempFolder();
        dir.Write("keep.txt", "k");
        dir.Write("nested/a.txt", "a");
        var manifest = await Whole(dir);
        dir.Write("nested/.lanscatter/peer.json", "{}");
        dir.Write("nested/b.txt", "b");

        var partial = await PartialRescan.RescanAsync(dir.Path, manifest, new[] { "nested/b.txt", "nested/.lanscatter/peer.json" }, Options(), CancellationToken.None);
        Assert.Equal(ManifestJson.Serialize(await Whole(dir)), ManifestJson.Serialize(partial!));
        Assert.Equal(new[] { "keep.txt" }, partial!.Files.Select(f => f.Path));
    }

    [UnixFact]
    public async Task Links_reported_are_taken_as_a_whole_scan_takes_them()
    {
        using var dir = new TempFolder();
        dir.Write("target.txt", "t");
        dir.Write("d/inside.txt", "i");
        var manifest = await Whole(dir);
        File.CreateSymbolicLink(dir.Combine("d/to-file"), "../target.txt"); // followed: inside the folder
        Directory.CreateSymbolicLink(dir.Combine("to-folder"), dir.Combine("d")); // never followed

        var partial = await PartialRescan.RescanAsync(dir.Path, manifest, new[] { "d/to-file", "to-folder", "to-folder/inside.txt" }, Options(), CancellationToken.None);
        Assert.Equal(ManifestJson.Serialize(await Whole(dir)), ManifestJson.Serialize(partial!));
        Assert.Contains(partial!.Files, f => f.Path == "d/to-file");
        Assert.DoesNotContain(partial.Files, f => f.Path.StartsWith("to-folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Excluded_paths_reported_stay_out()
    {
        using var dir = new TempFolder();
        dir.Write("keep.txt", "k");
        var manifest = await Whole(dir);
        dir.Write("logs/today.log", "l");
        dir.Write("d/x.tmp", "t");

        var partial = await PartialRescan.RescanAsync(dir.Path, manifest, new[] { "logs", "logs/today.log", "d", "d/x.tmp" }, Options(), CancellationToken.None);
        Assert.Equal(ManifestJson.Serialize(await Whole(dir)), ManifestJson.Serialize(partial!));
        Assert.Equal(new[] { "d" }, partial!.EmptyDirectories); // only an excluded file in it
    }

    [Fact]
    public async Task The_folder_itself_reported_needs_a_whole_scan_and_a_bad_name_is_refused_as_a_whole_scan_refuses_it()
    {
        using var dir = new TempFolder();
        dir.Write("keep.txt", "k");
        var manifest = await Whole(dir);
        Assert.Null(await PartialRescan.RescanAsync(dir.Path, manifest, new[] { "" }, Options(), CancellationToken.None));

        dir.Write("bad\u0001name.txt", "x");
        var error = await Assert.ThrowsAsync<LanScatterException>(() => PartialRescan.RescanAsync(dir.Path, manifest, new[] { "bad\u0001name.txt" }, Options(), CancellationToken.None));
        Assert.Equal("UnsupportedName", error.ErrorId);
    }

    [Fact]
    public void A_look_at_a_path_that_is_not_there_says_so_instead_of_failing()
    {
        using var dir = new TempFolder();
        dir.Write("file.txt", "f");
        Assert.Null(FolderWalker.AttributesOf(dir.Combine("missing.txt")));
        Assert.Null(FolderWalker.AttributesOf(dir.Combine("missing/below.txt")));
        Assert.Null(FolderWalker.AttributesOf(dir.Combine("file.txt/below.txt"))); // a file where a folder should be
        Assert.True((FolderWalker.AttributesOf(dir.Path) & FileAttributes.Directory) != 0);
        Assert.True((FolderWalker.AttributesOf(dir.Combine("file.txt")) & FileAttributes.Directory) == 0);
    }

    // One random change, and the paths a watcher would report for it.
    private static List<string> Change(TempFolder dir, Random random)
    {
        var files = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir.Path, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".lanscatter", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var pick = files.Count == 0 ? null : files[random.Next(files.Count)];
        switch (random.Next(8))
        {
            case 0:
                var added = $"d{random.Next(5)}/s{random.Next(3)}/n{random.Next(100000)}.bin";
                var newFolders = Folders(added).Where(f => !Directory.Exists(dir.Combine(f))).ToList();
                dir.Write(added, TestData.Random(random.Next(0, 3 * Chunk), random.Next()));
                // A new folder is reported itself (a watcher's event for its own files may come too late).
                return newFolders.Count > 0 ? new List<string> { newFolders[0] } : new List<string> { added };
            case 1 when pick is not null:
                File.WriteAllBytes(dir.Combine(pick), TestData.Random(random.Next(0, 3 * Chunk), random.Next()));
                return new List<string> { pick };
            case 2 when pick is not null:
                File.Delete(dir.Combine(pick));
                return new List<string> { pick };
            case 3 when pick is not null:
                var moved = $"m{random.Next(2)}/{random.Next(100000)}.bin";
                var created = Folders(moved).Where(f => !Directory.Exists(dir.Combine(f))).ToList();
                Directory.CreateDirectory(Path.GetDirectoryName(dir.Combine(moved))!);
                File.Move(dir.Combine(pick), dir.Combine(moved));
                return new List<string> { pick, created.Count > 0 ? created[0] : moved };
            case 4:
                var folder = $"d{random.Next(5)}";
                if (!Directory.Exists(dir.Combine(folder))) goto default;
                Directory.Delete(dir.Combine(folder), recursive: true);
                return new List<string> { folder };
            case 5:
                var empty = $"e{random.Next(3)}/x{random.Next(2)}";
                var made = Folders(empty + "/f").Where(f => !Directory.Exists(dir.Combine(f))).ToList();
                dir.MakeDirectory(empty);
                return made.Count > 0 ? new List<string> { made[0] } : new List<string>();
            case 6 when pick is not null:
                var renamedFolder = Path.GetDirectoryName(pick)!.Replace('\\', '/');
                if (renamedFolder.Length == 0 || Directory.Exists(dir.Combine(renamedFolder + "r"))) goto default;
                Directory.Move(dir.Combine(renamedFolder), dir.Combine(renamedFolder + "r"));
                return new List<string> { renamedFolder, renamedFolder + "r" };
            default:
                if (pick is null) return new List<string>();
                File.SetLastWriteTimeUtc(dir.Combine(pick), new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(100000)));
                return new List<string> { pick };
        }
    }

    private static IEnumerable<string> Folders(string path)
    {
        for (int slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1)) yield return path.Substring(0, slash);
    }

    private static ScanOptions Options() => new() { ChunkSize = Chunk, UseHashCache = false, Exclude = PathFilter.Parse(new[] { "logs", "*.tmp" }) };

    private static Task<FolderManifest> Whole(TempFolder dir) => FolderScanner.ScanAsync(dir.Path, Options());
}
