using System.Text.Json;
using LanScatter.Core.Security;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary><c>lanscatter status</c> against a live swarm with a secret.</summary>
public class StatusCommandTests
{
    private const string SecretText = "the status command's swarm secret";

    [Fact]
    public async Task Status_prints_a_row_per_node_or_the_json_document_with_the_secret_and_refuses_without_it()
    {
        await using var swarm = new TestSwarm(secret: SwarmSecret.FromText(SecretText, "test"));
        swarm.MasterFolder.Write("a.bin", TestData.Random(300_000, 2));
        var master = await swarm.StartMasterAsync();
        var peer = await swarm.StartPeerAsync(swarm.NewFolder().Path, "peer-one");
        await swarm.InSync(30, peer);
        await Timeouts.Until(() => master.Status.Peers.Any(p => p.Name == "peer-one" && p.Percent == 100), 10, "the master's view of the peer");
        using var dir = new TempFolder();
        var secretFile = dir.Write("swarm.secret", SecretText + "\n");
        var address = $"127.0.0.1:{master.Port}";

        var table = await CliRunner.Run("status", address, "--secret-file", secretFile);
        Assert.True(table.Code == 0, table.Err);
        var lines = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ROLE", lines[0]);
        Assert.StartsWith("master", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("peer") && l.Contains("peer-one") && l.Contains("InSync") && l.Contains("100.0"));
        Assert.Contains("1 peer(s)", table.Out);

        var json = await CliRunner.Run("status", address, "--json", "--secret-file", secretFile);
        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("nodes").GetArrayLength());

        var refused = await CliRunner.Run("status", address);
        Assert.Equal(1, refused.Code);
        Assert.Contains("swarm secret", refused.Err);
        Assert.Single(refused.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Status_of_a_master_that_is_not_there_is_a_one_line_error_with_exit_code_1()
    {
        var result = await CliRunner.Run("status", $"127.0.0.1:{TestSwarm.FreePort()}");
        Assert.Equal(1, result.Code);
        Assert.Contains("cannot reach the master", result.Err);
    }
}
