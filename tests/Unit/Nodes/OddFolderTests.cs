using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>Links and nested LanScatter folders: one policy, never a truncated copy, never a write outside the folder.</summary>
public class OddFolderTests
{
    [UnixFact]
    public async Task A_link_to_a_file_inside_arrives_whole_and_links_out_dangling_looping_or_to_folders_are_skipped_with_a_warning()
    {
        await using var swarm = new TestSwarm();
        var m = swarm.MasterFolder;
        using var outside = new TempFolder();
        outside.Write("secret.txt", "not the master's to give");
        m.Write("target.txt", "filetarget\n");
        m.MakeDirectory("dir");
        m.Write("dir/inner.txt", "inner");
        File.CreateSymbolicLink(m.Combine("link"), "target.txt");
        File.CreateSymbolicLink(m.Combine("out"), outside.Combine("secret.txt"));
        File.CreateSymbolicLink(m.Combine("dangling"), "nothing-here");
        File.CreateSymbolicLink(m.Combine("loop-a"), "loop-b");
        File.CreateSymbolicLink(m.Combine("loop-b"), "loop-a");
        Directory.CreateSymbolicLink(m.Combine("dirlink"), "dir");

        var master = await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));

        Assert.Equal("filetarget\n", File.ReadAllText(dir.Combine("link"))); // whole: 11 bytes, not the link's own 10
        Assert.Null(new FileInfo(dir.Combine("link")).LinkTarget); // a plain file on the peer
        foreach (var name in new[] { "out", "dangling", "loop-a", "loop-b", "dirlink" })
        {
            Assert.False(File.Exists(dir.Combine(name)) || Directory.Exists(dir.Combine(name)), $"{name} was distributed");
            lock (swarm.Log) Assert.Contains(swarm.Log, l => l.Contains($"'{name}' is not distributed"));
        }
        Assert.Equal("inner", File.ReadAllText(dir.Combine("dir/inner.txt")));
    }

    [UnixFact]
    public async Task A_peer_replaces_a_link_in_its_folder_by_a_real_folder_and_never_writes_through_it()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("link/new.txt", "from the master");
        await swarm.StartMasterAsync();
        using var outside = new TempFolder();
        outside.Write("mine.txt", "beside the peer's folder");
        var dir = swarm.NewFolder();
        Directory.CreateSymbolicLink(dir.Combine("link"), outside.Path);

        var peer = await swarm.StartPeerAsync(dir.Path, "p", force: true);
        await swarm.InSync(60, peer);

        Assert.False(File.Exists(outside.Combine("new.txt")), "written outside the peer's folder through a link");
        Assert.Equal("beside the peer's folder", File.ReadAllText(outside.Combine("mine.txt")));
        Assert.Null(new DirectoryInfo(dir.Combine("link")).LinkTarget);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }

    [UnixFact]
    public async Task A_peer_replaces_a_file_link_to_outside_its_folder_and_leaves_the_target_alone()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("notes.txt", "the master's notes");
        await swarm.StartMasterAsync();
        using var outside = new TempFolder();
        var target = outside.Write("precious.txt", "not the swarm's to change");
        var dir = swarm.NewFolder();
        File.CreateSymbolicLink(dir.Combine("notes.txt"), target);

        var peer = await swarm.StartPeerAsync(dir.Path, "p", force: true);
        await swarm.InSync(60, peer);

        Assert.Equal("not the swarm's to change", File.ReadAllText(target));
        Assert.Null(new FileInfo(dir.Combine("notes.txt")).LinkTarget);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }

    [UnixFact]
    public async Task A_file_whose_name_is_not_UTF8_is_skipped_with_a_warning_and_the_rest_syncs()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("good.txt", "good");
        // .NET cannot make such a name; the shell can (the byte 0xFF is never valid UTF-8).
        using (var touch = System.Diagnostics.Process.Start("sh", new[] { "-c", "touch \"$1/$(printf 'bad\\377.txt')\"", "sh", swarm.MasterFolder.Path })) await touch.WaitForExitAsync();
        Assert.Equal(2, Directory.GetFiles(swarm.MasterFolder.Path).Length);

        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));

        Assert.Equal("good", File.ReadAllText(dir.Combine("good.txt")));
        Assert.Single(Directory.GetFiles(dir.Path));
        lock (swarm.Log) Assert.Contains(swarm.Log, l => l.Contains("is not distributed: its name is not valid UTF-8"));
        // .NET cannot delete it by name either: the shell does, so the temp folder goes.
        using (var rm = System.Diagnostics.Process.Start("sh", new[] { "-c", "rm -f \"$1\"/bad*", "sh", swarm.MasterFolder.Path })) await rm.WaitForExitAsync();
    }

    [Fact]
    public async Task A_folder_inside_another_LanScatter_folder_is_refused_both_ways_and_never_distributed()
    {
        await using var swarm = new TestSwarm();
        var m = swarm.MasterFolder;
        m.Write("data.txt", "data");
        m.Write("old-peer/.lanscatter/peer.json", "{}");
        m.Write("old-peer/copy.txt", "a copy another node made");
        var master = await swarm.StartMasterAsync();

        Assert.Equal(new[] { "data.txt" }, master.Manifest.Files.Select(f => f.Path).ToArray());
        lock (swarm.Log) Assert.Contains(swarm.Log, l => l.Contains("'old-peer' is not distributed: it is another LanScatter folder"));

        var insideMaster = Assert.Throws<LanScatterException>(() => new PeerNode(new PeerOptions { Path = m.Combine("sub"), MasterHost = "127.0.0.1", MasterPort = master.Port, Port = 0 }).Start());
        Assert.Equal("NestedFolder", insideMaster.ErrorId);
        Assert.Contains(m.Path, insideMaster.Message);
        Assert.False(Directory.Exists(m.Combine("sub")));

        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));
        dir.Write("inner/x.txt", "x");
        var insidePeer = Assert.Throws<LanScatterException>(() => new MasterNode(new MasterOptions { Path = dir.Combine("inner"), Port = 0 }).Start());
        Assert.Equal("NestedFolder", insidePeer.ErrorId);
    }
}
