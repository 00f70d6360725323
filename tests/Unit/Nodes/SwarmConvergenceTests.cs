using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class SwarmConvergenceTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task Four_peers_with_different_starting_contents_and_a_late_master_all_end_identical_mostly_fed_by_peers()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 80);
        var m = swarm.MasterFolder;
        m.Write("big/one.bin", TestData.Random(40 * Chunk + 123, 1));
        m.Write("big/two.bin", TestData.Random(30 * Chunk, 2));
        m.Write("x", "x is a file on the master");
        m.Write("y/inner.txt", "y is a folder on the master");
        m.MakeDirectory("empty/nested");

        var empty = swarm.NewFolder();
        var partly = swarm.NewFolder();
        partly.Write("big/two.bin", File.ReadAllBytes(m.Combine("big/two.bin")));
        var corrupted = swarm.NewFolder();
        var bytes = File.ReadAllBytes(m.Combine("big/one.bin"));
        bytes[5 * Chunk + 7] ^= 0x55;
        corrupted.Write("big/one.bin", bytes);
        var conflicts = swarm.NewFolder();
        conflicts.Write("stale.txt", "not on the master");
        conflicts.Write("x/inside.txt", "x is a folder here");
        conflicts.Write("y", "y is a file here");
        conflicts.Write("big/two.bin", TestData.Random(10, 3)); // wrong size

        int port = TestSwarm.FreePort();
        var early = new List<PeerNode>
        {
            await swarm.StartPeerAsync(empty.Path, "empty", port),
            await swarm.StartPeerAsync(partly.Path, "partly", port, force: true),
        };
        await Task.Delay(500); // the peers are up and retrying before the master exists
        await swarm.StartMasterAsync(port);
        var late = new List<PeerNode>
        {
            await swarm.StartPeerAsync(corrupted.Path, "corrupted", force: true),
            await swarm.StartPeerAsync(conflicts.Path, "conflicts", force: true),
        };
        var all = early.Concat(late).ToList();
        await swarm.InSync(120, all.ToArray());

        foreach (var dir in new[] { empty, partly, corrupted, conflicts }) FolderAssert.Identical(m.Path, dir.Path);
        long fromPeers = all.Sum(p => p.Status.BytesFromPeers), fromMaster = all.Sum(p => p.Status.BytesFromMaster);
        Assert.True(fromPeers > fromMaster, $"from peers {fromPeers}, from master {fromMaster}");
    }

    [Fact]
    public async Task Edge_sizes_duplicates_empty_folders_and_non_ascii_names_arrive_intact()
    {
        await using var swarm = new TestSwarm(Chunk);
        var m = swarm.MasterFolder;
        m.Write("zero.bin", Array.Empty<byte>());
        m.Write("one-chunk.bin", TestData.Random(Chunk, 1));
        m.Write("one-chunk-plus-2.bin", TestData.Random(Chunk + 2, 2));
        m.Write("five-and-a-half.bin", TestData.Random(5 * Chunk + Chunk / 2, 3));
        foreach (int size in new[] { 64 * 1024 - 1, 64 * 1024 + 1, 512 * 1024 - 1, 512 * 1024 + 1 }) m.Write($"around/{size}.bin", TestData.Random(size, size));
        m.Write("zeros/a.bin", new byte[7 * Chunk]);
        m.Write("zeros/b.bin", new byte[3 * Chunk + 5]);
        m.Write("Ünïcødé/日本語 ファイル.txt", "こんにちは");
        m.MakeDirectory("empty");
        m.MakeDirectory("nested/deeper/empty");

        var master = await swarm.StartMasterAsync();
        var peerDir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(peerDir.Path, "p");
        await swarm.InSync(60, peer);

        FolderAssert.Identical(m.Path, peerDir.Path);
        // The all-zero chunks are one chunk id: fetched once, copied to their other places.
        long unique = LanScatter.Core.Planning.ChunkCatalog.From(master.Manifest).Sizes.Sum();
        Assert.True(unique < master.Manifest.TotalBytes - 8 * Chunk);
        await Timeouts.Until(() => master.Status.BytesFromMaster >= unique, 10, "status");
        Assert.Equal(unique, peer.Status.BytesFromMaster + peer.Status.BytesFromPeers);
    }

    [Fact]
    public async Task Peers_converge_when_the_master_folder_changes_mid_sync()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 40);
        var m = swarm.MasterFolder;
        m.Write("keep.bin", TestData.Random(30 * Chunk, 1));
        m.Write("modify.bin", TestData.Random(20 * Chunk, 2));
        m.Write("delete.bin", TestData.Random(10 * Chunk, 3));
        m.Write("rename-me.bin", TestData.Random(10 * Chunk, 4));
        var master = await swarm.StartMasterAsync();
        var dirs = new[] { swarm.NewFolder(), swarm.NewFolder() };
        foreach (var (d, i) in dirs.Select((d, i) => (d, i))) await swarm.StartPeerAsync(d.Path, $"p{i}");
        await Timeouts.Until(() => swarm.Peers.All(p => p.Status.BytesDone > 5 * Chunk), 60, "some progress");

        m.Write("added.bin", TestData.Random(8 * Chunk, 5));
        m.Write("modify.bin", TestData.Random(22 * Chunk, 6));
        File.Delete(m.Combine("delete.bin"));
        File.Move(m.Combine("rename-me.bin"), m.Combine("renamed.bin"));
        await master.RescanAsync().Within(60);
        Assert.True(master.ManifestVersion >= 2);

        await Timeouts.Until(() => dirs.All(d => Same(m.Path, d.Path)), 120, "peers identical to the changed master");
        foreach (var d in dirs) FolderAssert.Identical(m.Path, d.Path);
    }

    [Fact]
    public async Task A_file_rewritten_with_the_same_size_while_being_served_ends_as_the_new_version_never_a_mix()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 16);
        var m = swarm.MasterFolder;
        m.Write("data.bin", TestData.Random(40 * Chunk, 1));
        var master = await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p");
        await Timeouts.Until(() => peer.Status.BytesDone >= 8 * Chunk, 60, "part of version 1 fetched");

        // Same size, half the chunks changed: only the time and the bytes tell the versions apart.
        var v2 = File.ReadAllBytes(m.Combine("data.bin"));
        TestData.Random(20 * Chunk, 2).CopyTo(v2, 10 * Chunk);
        File.WriteAllBytes(m.Combine("data.bin"), v2);
        File.SetLastWriteTimeUtc(m.Combine("data.bin"), DateTime.UtcNow.AddSeconds(5));
        await master.RescanAsync().Within(60);

        await Timeouts.Until(() => Same(m.Path, dir.Path), 120, "the peer holding version 2");
        Assert.Equal(v2, File.ReadAllBytes(dir.Combine("data.bin")));
    }

    [Fact]
    public async Task A_restarted_peer_resumes_without_fetching_again_what_it_had()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 40);
        swarm.MasterFolder.Write("data.bin", TestData.Random(120 * Chunk, 1));
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        var first = await swarm.StartPeerAsync(dir.Path, "p");
        await Timeouts.Until(() => first.Status.BytesDone >= 40 * Chunk, 60, "a third fetched");
        await swarm.StopPeerAsync(first);
        long had = first.Status.BytesDone;
        Assert.True(had < 120 * Chunk);
        Assert.False(File.Exists(dir.Combine("data.bin")), "no half-written file under its final name");

        var second = await swarm.StartPeerAsync(dir.Path, "p");
        await swarm.InSync(60, second);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
        long fetched = second.Status.BytesFromMaster + second.Status.BytesFromPeers;
        Assert.True(fetched <= 120 * Chunk - had + 8 * Chunk, $"fetched {fetched} again after having {had}");
    }

    [Fact]
    public async Task Chunks_from_a_peer_serving_corrupted_bytes_are_rejected_and_the_swarm_converges()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 80);
        swarm.MasterFolder.Write("data.bin", TestData.Random(60 * Chunk, 1));
        var master = await swarm.StartMasterAsync();
        var badDir = swarm.NewFolder();
        var bad = await swarm.StartPeerAsync(badDir.Path, "bad");
        await swarm.InSync(60, bad);
        // Its disk goes bad behind its back: every byte it serves is now wrong.
        File.WriteAllBytes(badDir.Combine("data.bin"), TestData.Random(60 * Chunk, 99));

        var goodDirs = new[] { swarm.NewFolder(), swarm.NewFolder() };
        var good = new List<PeerNode>();
        foreach (var (d, i) in goodDirs.Select((d, i) => (d, i))) good.Add(await swarm.StartPeerAsync(d.Path, $"good{i}"));
        await swarm.InSync(120, good.ToArray());

        foreach (var d in goodDirs) FolderAssert.Identical(swarm.MasterFolder.Path, d.Path);
        lock (swarm.Log) Assert.Contains(swarm.Log, l => l.Contains("do not match the chunk id"));
    }

    [Fact]
    public async Task A_non_empty_folder_never_synced_is_refused_without_force_and_dry_run_lists_changes()
    {
        await using var swarm = new TestSwarm(Chunk);
        swarm.MasterFolder.Write("new.txt", "new");
        swarm.MasterFolder.Write("same.txt", "same");
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        dir.Write("mine.txt", "precious");
        dir.Write("same.txt", "different");

        var ex = await Assert.ThrowsAsync<LanScatterException>(() => swarm.StartPeerAsync(dir.Path, "p"));
        Assert.Equal("FolderNotEmpty", ex.ErrorId);
        Assert.Contains("--force", ex.Message);

        var preview = await PeerNode.PreviewAsync(new PeerOptions { Path = dir.Path, MasterHost = "127.0.0.1", MasterPort = swarm.Master!.Port }).Within(30);
        Assert.Equal(new[] { "new.txt" }, preview.Create);
        Assert.Equal(new[] { "same.txt" }, preview.Change);
        Assert.Equal(new[] { "mine.txt" }, preview.Delete);
        Assert.Equal("precious", File.ReadAllText(dir.Combine("mine.txt"))); // a dry run changes nothing
    }

    private static bool Same(string a, string b)
    {
        try { FolderAssert.Identical(a, b); return true; }
        catch (Exception) { return false; }
    }
}

public class MasterRestartTests
{
    [Fact]
    public async Task Peers_rejoin_a_restarted_master_and_keep_what_they_have()
    {
        await using var swarm = new TestSwarm(64 * 1024);
        swarm.MasterFolder.Write("data.bin", TestData.Random(2_000_000, 1));
        int port = TestSwarm.FreePort();
        var first = await swarm.StartMasterAsync(port);
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p");
        await swarm.InSync(60, peer);
        long fetchedBefore = peer.Status.BytesFromMaster + peer.Status.BytesFromPeers;

        await first.StopAsync().Within(30);
        swarm.MasterFolder.Write("added.txt", "new while the master was down");
        var second = await swarm.StartMasterAsync(port);
        await Timeouts.Until(() => File.Exists(dir.Combine("added.txt")), 60, "the new file on the peer");
        await Timeouts.Until(() => second.Status.Peers.Count == 1, 10, "the peer rejoined");

        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
        long fetchedAfter = peer.Status.BytesFromMaster + peer.Status.BytesFromPeers;
        Assert.Equal("new while the master was down".Length, fetchedAfter - fetchedBefore); // only the new file
    }
}
