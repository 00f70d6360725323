using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>Output that is not a terminal (a log file, the journal) gets a status line per state change or per interval, never a live line repeated.</summary>
public class RedirectedOutputTests
{
    [Fact]
    public async Task A_once_peer_writing_to_a_file_logs_a_status_line_per_state_change_not_twice_a_second()
    {
        await using var swarm = new TestSwarm(64 * 1024, rateMbit: 8);
        swarm.MasterFolder.Write("data.bin", TestData.Random(4 << 20, 1)); // about 4 s at 8 Mbit/s
        await swarm.StartMasterAsync();
        using var dir = new TempFolder();
        var started = DateTime.UtcNow;

        var (code, _, err) = await CliRunner.Run("peer", dir.Path, $"127.0.0.1:{swarm.Master!.Port}", "--once", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1");

        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Assert.Equal(0, code);
        Assert.True(seconds > 3, $"the sync took {seconds:F1} s: too short to tell");
        var statusLines = err.Split('\n').Where(l => l.StartsWith("peer ", StringComparison.Ordinal)).ToList();
        // Connecting, Syncing, InSync, Stopped (and a line every 30 s, not reached here).
        Assert.InRange(statusLines.Count, 2, 5);
        Assert.Contains(statusLines, l => l.Contains("InSync"));
    }
}
