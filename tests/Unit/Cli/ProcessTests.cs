using System.Diagnostics;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>The real <c>lanscatter</c> program, as separate processes talking over loopback.</summary>
public class ProcessTests
{
    private static CapturedProcess Start(params string[] args) => CliProcess.Start(args);

    [Fact]
    public async Task A_master_and_two_once_peers_as_processes_exit_0_with_identical_folders()
    {
        using var master = new TempFolder();
        using var a = new TempFolder();
        using var b = new TempFolder();
        master.Write("data/file.bin", TestData.Random(3_000_000, 1));
        master.Write("notes.txt", "hello from the master");
        master.MakeDirectory("empty");

        var (m, port) = await CliProcess.StartMasterAsync(master.Path, "--chunk-size", "256K");
        using var _ = m;
        using var p1 = CliProcess.StartPeer(a.Path, port, "--once");
        using var p2 = CliProcess.StartPeer(b.Path, port, "--once");
        var r1 = await p1.ExitAsync(90);
        var r2 = await p2.ExitAsync(90);
        Assert.True(r1.Code == 0, r1.Err + "\nmaster:\n" + m.Err);
        Assert.True(r2.Code == 0, r2.Err + "\nmaster:\n" + m.Err);
        Assert.Contains("in sync", r1.Err);
        FolderAssert.Identical(master.Path, a.Path);
        FolderAssert.Identical(master.Path, b.Path);
    }

    [UnixFact("SIGTERM is a POSIX signal")]
    public async Task Sigterm_stops_a_master_cleanly_instead_of_killing_it()
    {
        using var master = new TempFolder();
        master.Write("a.txt", "x");
        // Signalled only once it serves: before its runtime installs the handler, SIGTERM would kill it.
        var (m, _) = await CliProcess.StartMasterAsync(master.Path);
        using var _m = m;
        await CliProcess.SigtermAsync(m);
        var (code, err) = await m.ExitAsync(30);
        Assert.Contains("stopping", err);
        Assert.Equal(0, code); // a master stopping on request ends normally; killed by the signal it would be 143
    }

    private static async Task<(int Code, string Err)> Exit(CapturedProcess p)
    {
        using (p) return await p.ExitAsync(60);
    }

    [Fact]
    public async Task Unreachable_master_port_in_use_and_missing_folder_are_one_line_errors()
    {
        using var dir = new TempFolder();
        var missing = await Exit(Start("master", Path.Combine(dir.Path, "nope")));
        Assert.Equal(1, missing.Code);
        Assert.Equal("lanscatter master: error: folder not found: '" + Path.Combine(dir.Path, "nope") + "'", missing.Err.Trim());

        var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        int busy = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        try
        {
            var inUse = await Exit(Start("master", dir.Path, "--port", busy.ToString(), "--bind", "127.0.0.1"));
            Assert.Equal(1, inUse.Code);
            Assert.Contains($"cannot listen on port {busy}", inUse.Err);
            Assert.DoesNotContain("   at ", inUse.Err); // no stack trace
        }
        finally
        {
            blocker.Stop();
        }

        var usage = await Exit(Start("peer", dir.Path));
        Assert.Equal(2, usage.Code);

        using var empty = new TempFolder();
        int closed = Support.TestSwarm.FreePort();
        var unreachable = await Exit(Start("peer", empty.Path, $"127.0.0.1:{closed}", "--port", "0", "--once", "--connect-timeout", "2"));
        Assert.Equal(1, unreachable.Code);
        var last = unreachable.Err.Trim().Split('\n').Last();
        Assert.StartsWith("lanscatter peer: error: master 127.0.0.1:" + closed + " unreachable", last);
    }
}

// Measures the CPU its nodes use: run alone, since tests running beside it (swarms of thousands of
// small files, the simulator) made a reconnecting peer's waiting cost 0.29 s in 5 s instead of < 0.25.
[Collection(SerialCollection.Name)]
public class ProcessStopTests
{
    [UnixFact("SIGTERM is a POSIX signal")]
    public async Task Sigterm_stops_a_peer_that_is_reconnecting_to_a_vanished_master_within_seconds_without_a_busy_loop()
    {
        using var master = new TempFolder();
        using var peerDir = new TempFolder();
        var (m, p) = await StartInSyncAsync(master, peerDir);
        using var _m = m;
        using var _p = p;

        m.Process.Kill(entireProcessTree: true);
        await p.LineAsync(l => l.Contains("unreachable"), 30);
        await CliProcess.SigtermAsync(p);
        var (code, err) = await p.ExitAsync(15);

        Assert.Equal(0, code);
        Assert.Contains("stopping", err);
        Assert.True(err.Split('\n').Length < 60, $"{err.Split('\n').Length} lines written:\n{err}");
    }

    [UnixFact("SIGTERM is a POSIX signal")]
    public async Task Sigterm_stops_a_peer_within_seconds_while_it_is_connecting_and_while_it_is_syncing()
    {
        using var empty = new TempFolder();
        using var connecting = CliProcess.Start("peer", empty.Path, $"127.0.0.1:{TestSwarm.FreePort()}", "--port", "0", "--bind", "127.0.0.1", "--connect-timeout", "0");
        await connecting.LineAsync(l => l.Contains("unreachable"), 30);
        await Sigterm(connecting);

        using var master = new TempFolder();
        using var dir = new TempFolder();
        master.Write("big.bin", TestData.Random(8 << 20, 2));
        var (m, port) = await CliProcess.StartMasterAsync(master.Path, "--upload-limit", "8");
        using var _m = m;
        using var syncing = CliProcess.StartPeer(dir.Path, port);
        await syncing.LineAsync(l => l.Contains("following manifest"), 60);
        await Task.Delay(1000); // downloads under way (8 MiB at 8 Mbit/s take 8 s)
        await Sigterm(syncing);
        Assert.False(File.Exists(dir.Combine("big.bin")), "no half-written file under its final name");
    }

    // A master process and a peer process that has reached InSync with it.
    private static async Task<(CapturedProcess Master, CapturedProcess Peer)> StartInSyncAsync(TempFolder master, TempFolder peerDir)
    {
        master.Write("a.bin", TestData.Random(300_000, 1));
        var (m, port) = await CliProcess.StartMasterAsync(master.Path);
        var p = CliProcess.StartPeer(peerDir.Path, port);
        try
        {
            await p.LineAsync(l => l.Contains("InSync"), 60);
            return (m, p);
        }
        catch
        {
            p.Dispose(); // both stopped by their process ids
            m.Dispose();
            throw;
        }
    }

    private static async Task Sigterm(CapturedProcess node)
    {
        await CliProcess.SigtermAsync(node);
        var (code, err) = await node.ExitAsync(10);
        Assert.True(code == 0, err);
        Assert.Contains("stopping", err);
    }

    [Fact]
    public async Task Idle_nodes_and_a_peer_reconnecting_to_a_vanished_master_use_almost_no_CPU()
    {
        using var master = new TempFolder();
        using var peerDir = new TempFolder();
        var (m, p) = await StartInSyncAsync(master, peerDir);
        using var _m = m;
        using var _p = p;
        await Task.Delay(2000); // start-up and the sync's own work are over

        var (masterIdle, peerIdle) = await CpuOver(TimeSpan.FromSeconds(5), m.Process, p.Process);
        m.Process.Kill(entireProcessTree: true);
        await p.LineAsync(l => l.Contains("unreachable"), 30);
        var (peerReconnecting, _) = await CpuOver(TimeSpan.FromSeconds(5), p.Process, p.Process);

        // A busy loop shows as a whole core; waiting costs timer wake-ups and a status message a second.
        foreach (var (what, cpu) in new[] { ("idle master", masterIdle), ("idle peer", peerIdle), ("reconnecting peer", peerReconnecting) })
            Assert.True(cpu < TimeSpan.FromSeconds(0.25), $"{what}: {cpu.TotalSeconds:F2} s of CPU in 5 s");
    }

    private static async Task<(TimeSpan, TimeSpan)> CpuOver(TimeSpan span, Process a, Process b)
    {
        a.Refresh(); b.Refresh();
        var (a0, b0) = (a.TotalProcessorTime, b.TotalProcessorTime);
        await Task.Delay(span);
        a.Refresh(); b.Refresh();
        return (a.TotalProcessorTime - a0, b.TotalProcessorTime - b0);
    }
}
