using System.Diagnostics;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>The real <c>lanscatter</c> program, as separate processes talking over loopback.</summary>
public class ProcessTests
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "lanscatter.dll");

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Program);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start lanscatter");
    }

    private static async Task<(int Code, string Err)> Finish(Process p, int seconds)
    {
        var err = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync().Within(seconds);
        return (p.ExitCode, await err);
    }

    [Fact]
    public async Task A_master_and_two_once_peers_as_processes_exit_0_with_identical_folders()
    {
        using var master = new TempFolder();
        using var a = new TempFolder();
        using var b = new TempFolder();
        master.Write("data/file.bin", TestData.Random(3_000_000, 1));
        master.Write("notes.txt", "hello from the master");
        master.MakeDirectory("empty");
        int port = Support.TestSwarm.FreePort();

        using var m = Start("master", master.Path, "--port", port.ToString(), "--bind", "127.0.0.1", "--chunk-size", "256K");
        try
        {
            using var p1 = Start("peer", a.Path, $"127.0.0.1:{port}", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1", "--once");
            using var p2 = Start("peer", b.Path, $"127.0.0.1:{port}", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1", "--once");
            var r1 = await Finish(p1, 90);
            var r2 = await Finish(p2, 90);
            Assert.True(r1.Code == 0, r1.Err);
            Assert.True(r2.Code == 0, r2.Err);
            Assert.Contains("in sync", r1.Err);
            FolderAssert.Identical(master.Path, a.Path);
            FolderAssert.Identical(master.Path, b.Path);
        }
        finally
        {
            if (!m.HasExited) m.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Sigterm_stops_a_master_cleanly_instead_of_killing_it()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a POSIX signal; Windows stops services differently
        using var master = new TempFolder();
        master.Write("a.txt", "x");
        // Port 0 and the master's own "serving" line: probing a guessed port could reach another test's
        // server and signal this process before its runtime has installed the handler.
        using var m = Start("master", master.Path, "--port", "0", "--bind", "127.0.0.1");
        try
        {
            string? line;
            do line = await m.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            while (line is not null && !line.Contains("serving"));
            Assert.NotNull(line);
            using (var kill = Process.Start("kill", new[] { "-TERM", m.Id.ToString() })) await kill.WaitForExitAsync();
            var (code, err) = await Finish(m, 30);
            Assert.Contains("stopping", err);
            Assert.Equal(0, code); // a master stopping on request ends normally; killed by the signal it would be 143
        }
        finally
        {
            if (!m.HasExited) m.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Unreachable_master_port_in_use_and_missing_folder_are_one_line_errors()
    {
        using var dir = new TempFolder();
        var missing = await Finish(Start("master", Path.Combine(dir.Path, "nope")), 60);
        Assert.Equal(1, missing.Code);
        Assert.Equal("lanscatter master: error: folder not found: '" + Path.Combine(dir.Path, "nope") + "'", missing.Err.Trim());

        var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        int busy = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        try
        {
            var inUse = await Finish(Start("master", dir.Path, "--port", busy.ToString(), "--bind", "127.0.0.1"), 60);
            Assert.Equal(1, inUse.Code);
            Assert.Contains($"cannot listen on port {busy}", inUse.Err);
            Assert.DoesNotContain("   at ", inUse.Err); // no stack trace
        }
        finally
        {
            blocker.Stop();
        }

        var usage = await Finish(Start("peer", dir.Path), 60);
        Assert.Equal(2, usage.Code);

        using var empty = new TempFolder();
        int closed = Support.TestSwarm.FreePort();
        var unreachable = await Finish(Start("peer", empty.Path, $"127.0.0.1:{closed}", "--port", "0", "--once", "--connect-timeout", "2"), 60);
        Assert.Equal(1, unreachable.Code);
        var last = unreachable.Err.Trim().Split('\n').Last();
        Assert.StartsWith("lanscatter peer: error: master 127.0.0.1:" + closed + " unreachable", last);
    }
}
