using System.Diagnostics;
using System.Text.Json;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>
/// Nodes killed outright (kill -9: no stop, no state saved at the end) as separate processes: a
/// restarted peer resumes from what it had verified, peers of a restarted master keep what they have
/// and finish, and no file is ever wrong under its final name.
/// </summary>
public class KillTests
{
    private const int Size = 8 << 20;

    private static CapturedProcess StartPeer(string dir, int masterPort, params string[] extra) =>
        CliProcess.StartPeer(dir, masterPort, new[] { "--verbose" }.Concat(extra).ToArray());

    // Chunks the peer has recorded as verified in its resume state (written at most once a second).
    private static int VerifiedOnDisk(string dir)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, ".lanscatter", "peer-state.json")));
            return doc.RootElement.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("verified").GetArrayLength());
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    private static async Task<SwarmNodeInfo?> PeerRow(int masterPort)
    {
        var swarm = await SwarmClient.ForMaster($"127.0.0.1:{masterPort}").GetSwarmAsync(CancellationToken.None);
        return swarm.Nodes.FirstOrDefault(n => n.Role == "peer");
    }

    [Fact]
    public async Task A_peer_killed_mid_sync_resumes_from_what_it_had_verified()
    {
        using var m = new TempFolder();
        using var dir = new TempFolder();
        m.Write("data.bin", TestData.Random(Size, 1));
        var (master, port) = await CliProcess.StartMasterAsync(m.Path, "--chunk-size", "256K", "--upload-limit", "16");
        using var _ = master;

        using (var first = StartPeer(dir.Path, port))
        {
            await Timeouts.Until(() => VerifiedOnDisk(dir.Path) >= 8, 60, "2 MiB verified and recorded");
            first.Process.Kill(); // SIGKILL: nothing saved on the way out
            await first.Process.WaitForExitAsync();
        }
        Assert.False(File.Exists(dir.Combine("data.bin")), "no half-written file under its final name");
        int had = VerifiedOnDisk(dir.Path);

        // Slow on purpose: whatever it shows at once came from its own disk, not the network.
        var restartedAt = DateTime.UtcNow;
        using var second = StartPeer(dir.Path, port, "--download-limit", "2");
        SwarmNodeInfo? row = null;
        var until = DateTime.UtcNow.AddSeconds(30);
        // The killed peer's row may linger until the master notices: only a status sent since the restart counts.
        while ((row = await PeerRow(port)) is null || row.LastSeenUtc < restartedAt || row.BytesDone == 0)
        {
            Assert.True(DateTime.UtcNow < until, "no status from the restarted peer within 30 s");
            await Task.Delay(100);
        }
        Assert.True(row.BytesDone >= had * 256L * 1024, $"resumed with {row.BytesDone} bytes, had {had} chunks verified");
    }

    [Fact]
    public async Task Peers_keep_what_they_have_when_the_master_is_killed_and_finish_with_the_restarted_master()
    {
        using var m = new TempFolder();
        using var dir = new TempFolder();
        m.Write("data.bin", TestData.Random(Size, 2));
        var (master, port) = await CliProcess.StartMasterAsync(m.Path, "--chunk-size", "256K", "--upload-limit", "16");
        using var peer = StartPeer(dir.Path, port);
        await Timeouts.Until(() => VerifiedOnDisk(dir.Path) >= 8, 60, "2 MiB verified");

        master.Process.Kill();
        await master.Process.WaitForExitAsync();
        master.Dispose();
        await peer.LineAsync(l => l.Contains("unreachable"), 30);
        int had = VerifiedOnDisk(dir.Path);

        using var restarted = CliProcess.Start("master", m.Path, "--port", port.ToString(), "--bind", "127.0.0.1", "--chunk-size", "256K");
        await CliProcess.ServingPortAsync(restarted);
        // The peer re-joins saying what it holds: what it had before the master died, and more.
        var joined = await restarted.LineAsync(l => l.Contains("joined"), 60);
        int held = int.Parse(joined.Substring(joined.IndexOf(" with ", StringComparison.Ordinal) + 6).Split('/')[0]);
        Assert.True(held >= had, $"re-joined with {held} chunks, had {had} on disk");
        await peer.LineAsync(l => l.Contains("InSync"), 60);
        FolderAssert.Identical(m.Path, dir.Path);
    }
}
