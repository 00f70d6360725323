using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>-Exclude / --exclude: a master leaves paths out of the swarm; a peer leaves local paths alone.</summary>
public class ExcludeTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task A_master_does_not_distribute_excluded_paths()
    {
        await using var swarm = new TestSwarm(Chunk);
        var m = swarm.MasterFolder;
        m.Write("data.bin", TestData.Random(3 * Chunk, 1));
        m.Write("scratch.TMP", "temporary");
        m.Write("build/cache/big.bin", TestData.Random(4 * Chunk, 2));
        m.Write("build/out.txt", "kept");
        var master = await swarm.StartMasterAsync(exclude: new[] { "*.tmp", "build/cache" });

        Assert.Equal(new[] { "build/out.txt", "data.bin" }, master.Manifest.Files.Select(f => f.Path).ToArray());
        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));
        Assert.True(File.Exists(dir.Combine("data.bin")));
        Assert.False(File.Exists(dir.Combine("scratch.TMP")));
        Assert.False(Directory.Exists(dir.Combine("build/cache")));
    }

    [Fact]
    public async Task A_peer_keeps_excluded_local_files_fetches_none_of_the_masters_there_and_still_ends_in_sync()
    {
        await using var swarm = new TestSwarm(Chunk);
        var m = swarm.MasterFolder;
        m.Write("app/program.bin", TestData.Random(5 * Chunk, 1));
        m.Write("app/config/local.json", "{ \"master\": true }");
        m.Write("logs/master-only.log", TestData.Random(6 * Chunk, 2)); // chunks found nowhere else
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        dir.Write("app/config/local.json", "{ \"this machine\": true }");
        dir.Write("logs/peer.log", "the peer's own log");
        dir.Write("tmp/notes.log", "a folder the master lacks, holding only kept files");
        dir.Write("stale.txt", "not on the master, not excluded");
        var exclude = new[] { "*.log", "app/config/local.json" };

        var preview = await PeerNode.PreviewAsync(new PeerOptions { Path = dir.Path, MasterHost = "127.0.0.1", MasterPort = swarm.Master!.Port, Exclude = exclude }).Within(30);
        Assert.Equal(new[] { "app/config/local.json", "logs/peer.log", "tmp/notes.log" }, preview.Keep);
        Assert.Equal(new[] { "stale.txt" }, preview.Delete);
        Assert.Equal(new[] { "app/program.bin" }, preview.Create);

        var peer = await swarm.StartPeerAsync(dir.Path, "p", force: true, exclude: exclude);
        await swarm.InSync(60, peer);

        Assert.Equal(File.ReadAllBytes(m.Combine("app/program.bin")), File.ReadAllBytes(dir.Combine("app/program.bin")));
        Assert.Equal("{ \"this machine\": true }", File.ReadAllText(dir.Combine("app/config/local.json")));
        Assert.Equal("the peer's own log", File.ReadAllText(dir.Combine("logs/peer.log")));
        Assert.Equal("a folder the master lacks, holding only kept files", File.ReadAllText(dir.Combine("tmp/notes.log")));
        Assert.False(File.Exists(dir.Combine("logs/master-only.log")));
        Assert.False(File.Exists(dir.Combine("stale.txt")));
        // Once the peer has said what it skips, the master orders none of it: nothing fetched beyond
        // program.bin, and no stream of orders the peer must turn down (orders sent at join, before
        // the peer read the manifest, may be turned down once).
        await Timeouts.Until(() => swarm.Master.Status.Peers.Count == 1 && swarm.Master.Status.Peers[0].Percent >= 100, 10, "the master sees the peer complete");
        int TurnedDown() { lock (swarm.Log) return swarm.Log.Count(l => l.Contains("not needed")); }
        int before = TurnedDown();
        await Task.Delay(2000);
        Assert.Equal(before, TurnedDown());
        Assert.Equal(5L * Chunk, peer.Status.BytesFromMaster + peer.Status.BytesFromPeers);
    }
}

public class ExcludeCommandLineTests
{
    [Fact]
    public async Task Peer_dry_run_with_repeated_exclude_lists_kept_paths_and_changes_nothing()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("data.txt", "from the master");
        swarm.MasterFolder.Write("settings.ini", "the master's settings");
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        dir.Write("settings.ini", "this machine's settings");
        dir.Write("logs/today.log", "local log");
        dir.Write("old.txt", "stale");

        var (code, stdout, _) = await CliRunner.Run("peer", dir.Path, $"127.0.0.1:{swarm.Master!.Port}", "--dry-run", "--exclude", "settings.ini", "--exclude=logs");

        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("keep    settings.ini (excluded)", lines);
        Assert.Contains("keep    logs (excluded)", lines);
        Assert.Contains("delete  old.txt", lines);
        Assert.Contains("create  data.txt", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("change") && l.Contains("settings.ini"));
        Assert.Contains("1 to create, 0 to change, 1 to delete, 2 kept", stdout);
        Assert.Equal("this machine's settings", File.ReadAllText(dir.Combine("settings.ini")));
        Assert.True(File.Exists(dir.Combine("old.txt")));
    }

    [Fact]
    public async Task A_bad_exclude_pattern_is_a_one_line_error()
    {
        using var dir = new TempFolder();
        var (code, _, stderr) = await CliRunner.Run("master", dir.Path, "--port", "0", "--exclude", "[oops");
        Assert.Equal(1, code);
        Assert.Contains("exclude pattern '[oops'", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
