using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>
/// In a big folder the master rescans only the paths its watcher reported, and a peer follows the
/// change looking only at the paths it touches, for a delta inside a message and for a manifest
/// fetched by reference (as a million files travel). Both thresholds are lowered so that a few
/// hundred files stand for a million.
/// </summary>
[Collection(SerialCollection.Name)]
public class ScopedChangeSwarmTests
{
    [Fact]
    public async Task Master_and_peer_follow_changes_to_a_big_folder_path_by_path_inline_and_by_reference()
    {
        var before = ManifestReference.InlineLimit;
        try
        {
            await using var swarm = new TestSwarm(64 * 1024);
            for (int i = 0; i < 200; i++) swarm.MasterFolder.Write($"dir{i % 9}/file-{i:D4}.txt", $"line {i}\n");
            var master = await swarm.StartMasterAsync(partialRescanMinFiles: 0);
            var dir = swarm.NewFolder();
            var peer = await swarm.StartPeerAsync(dir.Path, "p", scopedChangeMinFiles: 0);
            await swarm.InSync(60, peer);

            // One file rewritten, one deleted, one added in a new folder: a delta in the message.
            swarm.MasterFolder.Write("dir1/file-0001.txt", "rewritten\n");
            File.Delete(swarm.MasterFolder.Combine("dir2/file-0002.txt"));
            swarm.MasterFolder.Write("new/added.txt", "added\n");
            await UntilFollowed(swarm, master, peer, dir, version: 2);
            await Said(swarm, l => l.StartsWith("p: following manifest version 2") && l.Contains("looked only at the 3 path(s)"));
            Assert.Contains(Lines(swarm), l => l.StartsWith("master: folder changed: manifest version 2") && l.Contains("looked only at the"));
            await SameAsWholeScan(swarm, master);

            // The next change travels by reference, as a big manifest does.
            ManifestReference.InlineLimit = 16; // smaller than any delta
            Directory.Delete(swarm.MasterFolder.Combine("new"), recursive: true);
            await UntilFollowed(swarm, master, peer, dir, version: 3);
            Assert.Contains(Lines(swarm), l => l.StartsWith("p: fetched the manifest over HTTP"));
            await Said(swarm, l => l.StartsWith("p: following manifest version 3") && l.Contains("looked only at the 1 path(s)"));
            Assert.Contains(Lines(swarm), l => l.StartsWith("master: folder changed: manifest version 3") && l.Contains("looked only at the"));
            await SameAsWholeScan(swarm, master);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "new")), "the folder the change emptied should be gone");
        }
        finally
        {
            ManifestReference.InlineLimit = before;
        }
    }

    [Fact]
    public async Task A_master_rescanning_reported_paths_follows_a_folder_renamed_and_written_in_after_it()
    {
        await using var swarm = new TestSwarm(64 * 1024);
        for (int i = 0; i < 60; i++) swarm.MasterFolder.Write($"dir{i % 4}/sub{i % 3}/file-{i:D3}.txt", $"line {i}\n");
        var master = await swarm.StartMasterAsync(partialRescanMinFiles: 0);
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p", scopedChangeMinFiles: 0);
        await swarm.InSync(60, peer);

        // The watcher must know the folder by its new name for what happens in it afterwards.
        Directory.Move(swarm.MasterFolder.Combine("dir1"), swarm.MasterFolder.Combine("renamed"));
        await UntilFollowed(swarm, master, peer, dir, version: 2);
        await SameAsWholeScan(swarm, master);
        swarm.MasterFolder.Write("renamed/sub0/later.txt", "written after the rename\n");
        File.Delete(swarm.MasterFolder.Combine("renamed/sub1/file-013.txt"));
        await UntilFollowed(swarm, master, peer, dir, version: 3);
        await SameAsWholeScan(swarm, master);
        Assert.Contains(Lines(swarm), l => l.StartsWith("master: folder changed: manifest version 3") && l.Contains("looked only at the"));
    }

    [Fact]
    public async Task A_change_to_more_paths_than_the_master_keeps_is_rescanned_whole()
    {
        await using var swarm = new TestSwarm(64 * 1024);
        for (int i = 0; i < 40; i++) swarm.MasterFolder.Write($"dir{i % 4}/file-{i:D3}.txt", $"line {i}\n");
        var master = await swarm.StartMasterAsync(partialRescanMinFiles: 0, maxReportedPaths: 3, changeDebounce: TimeSpan.FromSeconds(2));
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p", scopedChangeMinFiles: 0);
        await swarm.InSync(60, peer);

        for (int i = 0; i < 6; i++) swarm.MasterFolder.Write($"dir{i % 4}/file-{i:D3}.txt", $"rewritten {i}\n");
        await UntilFollowed(swarm, master, peer, dir, version: 2);
        await SameAsWholeScan(swarm, master);
        var line = Assert.Single(Lines(swarm), l => l.StartsWith("master: folder changed: manifest version 2"));
        Assert.DoesNotContain("looked only at", line);
    }

    [Fact]
    public async Task After_the_watcher_lost_track_of_changes_the_next_rescan_walks_the_whole_folder()
    {
        await using var swarm = new TestSwarm(64 * 1024);
        for (int i = 0; i < 40; i++) swarm.MasterFolder.Write($"dir{i % 4}/file-{i:D3}.txt", $"line {i}\n");
        // The debounce is long so that the loss and the write below meet in one rescan.
        var master = await swarm.StartMasterAsync(partialRescanMinFiles: 0, changeDebounce: TimeSpan.FromSeconds(2));
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p", scopedChangeMinFiles: 0);
        await swarm.InSync(60, peer);

        master.OnWatcherLostEvents(new InternalBufferOverflowException("too many changes at once"));
        swarm.MasterFolder.Write("dir1/file-001.txt", "rewritten\n");
        await UntilFollowed(swarm, master, peer, dir, version: 2);
        await SameAsWholeScan(swarm, master);
        Assert.Contains(Lines(swarm), l => l.StartsWith("master: the folder watcher lost track of changes (too many changes at once); rescanning the whole folder"));
        var line = Assert.Single(Lines(swarm), l => l.StartsWith("master: folder changed: manifest version 2"));
        Assert.DoesNotContain("looked only at", line);
    }

    private static async Task UntilFollowed(TestSwarm swarm, LanScatter.Core.Nodes.MasterNode master, LanScatter.Core.Nodes.PeerNode peer, TempFolder dir, int version)
    {
        await Timeouts.Until(() => master.ManifestVersion == version && peer.Status.ManifestVersion == version && peer.WhenInSync.IsCompleted && peer.Status.Percent == 100, 60, $"the peer on manifest version {version}");
        await Timeouts.Until(() => FolderAssert.Digest(swarm.MasterFolder.Path) == FolderAssert.Digest(dir.Path), 30, "the peer's folder identical to the master's");
    }

    private static async Task SameAsWholeScan(TestSwarm swarm, LanScatter.Core.Nodes.MasterNode master)
    {
        var whole = await FolderScanner.ScanAsync(swarm.MasterFolder.Path, new ScanOptions { ChunkSize = swarm.ChunkSize, UseHashCache = false });
        Assert.Equal(ManifestJson.Serialize(whole), ManifestJson.Serialize(master.Manifest));
    }

    private static List<string> Lines(TestSwarm swarm)
    {
        lock (swarm.Log) return swarm.Log.ToList();
    }

    // The peer says how it followed a version just after it reports the version: waited for.
    private static async Task Said(TestSwarm swarm, Func<string, bool> line)
    {
        try
        {
            await Timeouts.Until(() => Lines(swarm).Any(line), 10, "the peer's line about the change");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + string.Join("\n", Lines(swarm)), ex);
        }
    }
}
