using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Storage;

/// <summary>
/// A change to a big folder looks only at the paths it touches (the threshold is lowered here so a
/// few files stand for a million), and ends with the folder a whole check would give.
/// </summary>
public class ScopedChangeTests
{
    private const int Chunk = 4096;

    [Fact]
    public async Task A_change_looks_only_at_the_paths_it_touches_and_a_join_checks_the_whole_folder()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("a.txt", "first a");
        master.Write("b.txt", "b");
        master.Write("d/c.bin", TestData.Random(3 * Chunk, 1));
        var folder = Scoped(peer);
        await SyncAsync(folder, master, change: false);

        File.Delete(peer.Combine("b.txt")); // a local edit the change does not touch
        master.Write("a.txt", "second a, longer");
        var check = await SyncAsync(folder, master, change: true);
        Assert.Equal(new FolderCheck(false, 1), check);
        Assert.False(File.Exists(peer.Combine("b.txt")));
        Assert.Equal("second a, longer", File.ReadAllText(peer.Combine("a.txt")));

        // Joining again (a reconnect, a restart) checks everything and puts the edit right.
        check = await SyncAsync(folder, master, change: false);
        Assert.True(check.Whole);
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task A_change_to_a_folder_below_the_threshold_checks_the_whole_folder()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("a.txt", "first a");
        master.Write("b.txt", "b");
        var folder = new PeerFolder(peer.Path); // 2 files, far below the default threshold
        await SyncAsync(folder, master, change: false);

        File.Delete(peer.Combine("b.txt"));
        master.Write("a.txt", "second a");
        var check = await SyncAsync(folder, master, change: true);
        Assert.True(check.Whole);
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task A_file_the_change_adds_is_copied_from_an_untouched_file_that_holds_its_chunks()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        var big = TestData.Random(5 * Chunk + 17, 2);
        master.Write("big.bin", big);
        var folder = Scoped(peer);
        await SyncAsync(folder, master, change: false);

        master.Write("copy/of-big.bin", big);
        var manifest = await Scan(master);
        var check = await folder.ApplyAsync(manifest, CancellationToken.None, change: true);
        Assert.False(check.Whole);
        Assert.True(folder.InSync, "the copy should be made from big.bin without fetching anything");
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task A_removed_file_takes_the_folders_it_empties_with_it_and_keeps_the_others()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("gone/deeper/x.txt", "x");
        master.Write("stays/y.txt", "y");
        master.Write("stays/z.txt", "z");
        master.MakeDirectory("empty-gone");
        var folder = Scoped(peer);
        await SyncAsync(folder, master, change: false);

        Directory.Delete(master.Combine("gone"), recursive: true);
        File.Delete(master.Combine("stays/y.txt"));
        Directory.Delete(master.Combine("empty-gone"));
        master.MakeDirectory("empty-new/inside");
        var check = await SyncAsync(folder, master, change: true);
        Assert.Equal(new FolderCheck(false, 4), check);
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task A_folder_the_change_empties_that_holds_a_local_file_sends_the_change_through_the_whole_check()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("d/x.txt", "x");
        master.Write("other.txt", "o");
        var folder = Scoped(peer);
        await SyncAsync(folder, master, change: false);

        peer.Write("d/local.txt", "not from the master");
        Directory.Delete(master.Combine("d"), recursive: true);
        var check = await SyncAsync(folder, master, change: true);
        Assert.True(check.Whole);
        FolderAssert.Identical(master.Path, peer.Path); // a mirror: the local file goes as the whole check decides
    }

    [UnixFact]
    public async Task A_link_above_a_touched_path_sends_the_change_through_the_whole_check_and_nothing_is_written_through_it()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        using var outside = new TempFolder();
        master.Write("d/x.txt", "x");
        master.Write("other.txt", "o");
        var folder = Scoped(peer);
        await SyncAsync(folder, master, change: false);

        Directory.Delete(peer.Combine("d"), recursive: true);
        Directory.CreateSymbolicLink(peer.Combine("d"), outside.Path);
        master.Write("d/x.txt", "x changed");
        var check = await SyncAsync(folder, master, change: true);
        Assert.True(check.Whole);
        Assert.Empty(Directory.GetFileSystemEntries(outside.Path));
        FolderAssert.Identical(master.Path, peer.Path);
    }

    [Fact]
    public async Task Random_changes_followed_path_by_path_give_the_folder_the_whole_check_agrees_with()
    {
        for (int seed = 1; seed <= 12; seed++)
        {
            using var master = new TempFolder();
            using var peer = new TempFolder();
            var random = new Random(seed);
            var names = new List<string>();
            for (int i = 0; i < 30; i++) names.Add(Write(master, random, $"f{i}"));
            var folder = Scoped(peer);
            await SyncAsync(folder, master, change: false);

            int scoped = 0;
            for (int round = 0; round < 8; round++)
            {
                Change(master, random, names);
                var check = await SyncAsync(folder, master, change: true);
                if (!check.Whole) scoped++;
                FolderAssert.Identical(master.Path, peer.Path);
                SameTimes(master, peer);
            }
            Assert.True(scoped >= 6, $"seed {seed}: only {scoped} of 8 changes were followed path by path");

            // What the changes left is what a whole check finds: nothing to fetch, nothing to fix.
            var whole = await folder.ApplyAsync(await Scan(master), CancellationToken.None);
            Assert.True(whole.Whole);
            Assert.True(folder.InSync, $"seed {seed}: the whole check found something to fetch");
            FolderAssert.Identical(master.Path, peer.Path);
        }
    }

    // One random change to the master's folder: a file added, rewritten, shortened, touched, moved,
    // copied or deleted (emptying its folder now and then), or an empty folder made or removed.
    private static void Change(TempFolder master, Random random, List<string> names)
    {
        int kinds = random.Next(1, 4);
        for (int k = 0; k < kinds; k++)
        {
            var pick = names.Count == 0 ? null : names[random.Next(names.Count)];
            switch (random.Next(8))
            {
                case 0:
                    names.Add(Write(master, random, $"n{names.Count}-{random.Next(1000)}"));
                    break;
                case 1 when pick is not null:
                    File.WriteAllBytes(master.Combine(pick), TestData.Random(random.Next(0, 4 * Chunk), random.Next()));
                    break;
                case 2 when pick is not null:
                    File.SetLastWriteTimeUtc(master.Combine(pick), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(100000)));
                    break;
                case 3 when pick is not null:
                    var moved = $"moved{random.Next(3)}/{Path.GetFileName(pick)}-{random.Next(1000)}";
                    if (File.Exists(master.Combine(moved))) break;
                    Directory.CreateDirectory(Path.GetDirectoryName(master.Combine(moved))!);
                    File.Move(master.Combine(pick), master.Combine(moved));
                    names.Remove(pick);
                    names.Add(moved);
                    break;
                case 4 when pick is not null:
                    var copy = pick + "-copy" + random.Next(1000);
                    if (File.Exists(master.Combine(copy))) break;
                    File.Copy(master.Combine(pick), master.Combine(copy));
                    names.Add(copy);
                    break;
                case 5 when pick is not null:
                    File.Delete(master.Combine(pick));
                    names.Remove(pick);
                    DeleteEmptyParents(master, pick);
                    break;
                case 6:
                    var dir = $"e{random.Next(4)}/sub{random.Next(2)}";
                    if (Directory.Exists(master.Combine(dir)) && !Directory.EnumerateFileSystemEntries(master.Combine(dir)).Any()) Directory.Delete(master.Combine(dir));
                    else if (!File.Exists(master.Combine(dir)) && !File.Exists(Path.GetDirectoryName(master.Combine(dir)))) master.MakeDirectory(dir);
                    break;
                default:
                    if (pick is not null) File.WriteAllBytes(master.Combine(pick), File.ReadAllBytes(master.Combine(pick)).Take(random.Next(Chunk)).ToArray());
                    break;
            }
        }
    }

    private static string Write(TempFolder master, Random random, string stem)
    {
        var path = $"d{random.Next(5)}/{stem}.bin";
        master.Write(path, TestData.Random(random.Next(0, 3 * Chunk), random.Next()));
        return path;
    }

    private static void DeleteEmptyParents(TempFolder master, string path)
    {
        for (var dir = Path.GetDirectoryName(master.Combine(path)); dir is not null && dir.Length > master.Path.Length; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.EnumerateFileSystemEntries(dir).Any()) return;
            Directory.Delete(dir);
        }
    }

    private static void SameTimes(TempFolder master, TempFolder peer)
    {
        foreach (var file in Directory.EnumerateFiles(master.Path, "*", SearchOption.AllDirectories))
        {
            var other = Path.Combine(peer.Path, Path.GetRelativePath(master.Path, file));
            Assert.Equal(File.GetLastWriteTimeUtc(file), File.GetLastWriteTimeUtc(other));
        }
    }

    private static PeerFolder Scoped(TempFolder peer) => new(peer.Path) { ScopedChangeMinFiles = 0 };

    private static Task<FolderManifest> Scan(TempFolder master) =>
        FolderScanner.ScanAsync(master.Path, new ScanOptions { ChunkSize = Chunk, UseHashCache = false });

    // Applies the master's manifest, then delivers every chunk the folder still lacks as fetches would.
    private static async Task<FolderCheck> SyncAsync(PeerFolder folder, TempFolder master, bool change)
    {
        var manifest = await Scan(master);
        var check = await folder.ApplyAsync(manifest, CancellationToken.None, change);
        foreach (var (file, chunk) in manifest.Files.SelectMany(f => f.Chunks.Select(c => (f, c))).DistinctBy(p => p.c.Id))
        {
            while (folder.TargetFor(chunk.Id) is { } target) Assert.True(await Delivery.DeliverAsync(folder, master, file, chunk, target));
        }
        Assert.True(folder.InSync, $"not in sync after delivering every chunk: {folder.Progress()}");
        return check;
    }
}
