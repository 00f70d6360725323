using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>A peer whose disk fails (full, its state folder removed) fails at once with its own reason — never blaming its sources, never spinning — and finishes in a later run once there is space.</summary>
public class LocalDiskFailureTests
{
    private const int Chunk = 256 * 1024;

    [TmpfsFact]
    public async Task A_full_disk_ends_the_peer_within_seconds_with_LocalDiskError_no_wrong_final_file_and_a_later_run_finishes()
    {
        await using var swarm = new TestSwarm(Chunk);
        var m = swarm.MasterFolder;
        for (int i = 0; i < 4; i++) m.Write($"file{i}.bin", TestData.Random(3 << 20, i)); // 12 MiB
        await swarm.StartMasterAsync();
        using var disk = Tmpfs.Mount(5 << 20);
        var folder = Path.Combine(disk.Path, "data");

        var peer = await swarm.StartPeerAsync(folder, "p");
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(30));

        Assert.Equal("LocalDiskError", ex.ErrorId);
        Assert.Contains("cannot write to the local disk", ex.Message);
        Assert.Equal(NodeState.Failed, peer.Status.State);
        Assert.Equal(ex.Message, peer.Status.LastError);
        foreach (var file in Directory.EnumerateFiles(folder)) // final names only ever hold the master's bytes
            Assert.Equal(File.ReadAllBytes(m.Combine(Path.GetFileName(file))), File.ReadAllBytes(file));
        lock (swarm.Log) Assert.DoesNotContain(swarm.Log, l => l.Contains("slow") || l.Contains("avoid"));

        disk.Resize(64 << 20);
        var again = await swarm.StartPeerAsync(folder, "p2");
        await swarm.InSync(60, again);
        FolderAssert.Identical(m.Path, folder);
    }

    [TmpfsFact]
    public async Task A_once_peer_on_a_full_disk_exits_1_saying_so_without_verbose()
    {
        await using var swarm = new TestSwarm(Chunk);
        swarm.MasterFolder.Write("big.bin", TestData.Random(6 << 20, 1));
        await swarm.StartMasterAsync();
        using var disk = Tmpfs.Mount(2 << 20);

        var (code, _, err) = await CliRunner.Run("peer", Path.Combine(disk.Path, "data"), $"127.0.0.1:{swarm.Master!.Port}", "--once", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1");

        Assert.Equal(1, code);
        Assert.StartsWith("lanscatter peer: error: cannot write to the local disk", err.Trim().Split('\n').Last());
    }

    [Fact]
    public async Task Removing_the_state_folder_under_a_running_peer_is_reported_and_a_new_run_finishes()
    {
        await using var swarm = new TestSwarm(64 * 1024, rateMbit: 16);
        swarm.MasterFolder.Write("data.bin", TestData.Random(4 << 20, 1)); // about 2 s at 16 Mbit/s
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "p");
        await Timeouts.Until(() => peer.Status.BytesDone > 0, 30, "the sync under way");

        Directory.Delete(dir.Combine(".lanscatter"), recursive: true);

        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(30));
        Assert.Equal("StateFolderRemoved", ex.ErrorId);
        Assert.Contains("start the peer again", ex.Message);
        Assert.False(File.Exists(dir.Combine("data.bin")), "no half-written file under its final name");
        var again = await swarm.StartPeerAsync(dir.Path, "p2", force: true);
        await swarm.InSync(60, again);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }

    [TmpfsFact]
    public async Task A_folder_that_cannot_take_the_masters_files_fails_the_peer_instead_of_reconnecting_for_ever()
    {
        await using var swarm = new TestSwarm(Chunk);
        swarm.MasterFolder.Write("a.txt", "a");
        for (int i = 0; i < 30; i++) swarm.MasterFolder.MakeDirectory($"empty{i}");
        await swarm.StartMasterAsync();
        using var disk = Tmpfs.Mount(64 << 20, files: 12); // room for bytes, not for 30 folders

        var peer = await swarm.StartPeerAsync(Path.Combine(disk.Path, "data"), "p");
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(30));

        Assert.Equal("LocalDiskError", ex.ErrorId);
        lock (swarm.Log) Assert.DoesNotContain(swarm.Log, l => l.Contains("unreachable"));
    }
}
