using LanScatter.Core.Security;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>The swarm secret on the command line: from the environment or a file, never an argument.</summary>
public class SecretCliTests
{
    [Fact]
    public async Task Secret_new_prints_a_usable_secret_and_read_token_prints_its_read_only_token()
    {
        var made = await CliRunner.Run("secret", "new");
        Assert.Equal(0, made.Code);
        var secret = made.Out.Trim();
        using var dir = new TempFolder();
        var file = dir.Write("swarm.secret", secret + "\n");
        var token = await CliRunner.Run("secret", "read-token", "--secret-file", file);
        Assert.Equal(0, token.Code);
        Assert.Equal(SwarmSecret.FromText(secret, "x").ReadToken, token.Out.Trim());
        Assert.DoesNotContain(secret, token.Out);
    }

    [Fact]
    public async Task A_missing_or_short_secret_file_is_a_one_line_error_with_exit_code_1()
    {
        using var dir = new TempFolder();
        var missing = await CliRunner.Run("master", dir.Path, "--port", "0", "--secret-file", dir.Combine("nope"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("cannot read the swarm secret file", missing.Err);
        var shortFile = dir.Write("short", "tiny");
        var tooShort = await CliRunner.Run("peer", dir.Combine("p"), "127.0.0.1:1", "--secret-file", shortFile);
        Assert.Equal(1, tooShort.Code);
        Assert.Contains("use at least 12", tooShort.Err);
        Assert.Single(tooShort.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_master_with_the_secret_in_its_environment_serves_a_peer_with_the_file_and_refuses_a_wrong_one_with_exit_code_1()
    {
        using var master = new TempFolder();
        using var good = new TempFolder();
        using var bad = new TempFolder();
        using var secrets = new TempFolder();
        master.Write("data.bin", TestData.Random(500_000, 4));
        const string secret = "environment-secret-for-the-cli-test";
        var right = secrets.Write("right", secret);
        var wrong = secrets.Write("wrong", "not-the-secret-of-this-swarm");

        using var m = CliProcess.StartWith(new Dictionary<string, string> { [SwarmSecret.EnvironmentVariable] = secret },
            "master", master.Path, "--port", "0", "--bind", "127.0.0.1", "--chunk-size", "64K");
        int port = await CliProcess.ServingPortAsync(m);
        Assert.DoesNotContain("the swarm is open", m.Err);

        using var refused = CliProcess.StartPeer(bad.Path, port, "--once", "--secret-file", wrong);
        var r = await refused.ExitAsync(30);
        Assert.True(r.Code == 1, r.Err);
        Assert.Contains("secret", r.Err);
        Assert.Empty(Directory.GetFiles(bad.Path));

        using var joined = CliProcess.StartPeer(good.Path, port, "--once", "--secret-file", right);
        var j = await joined.ExitAsync(60);
        Assert.True(j.Code == 0, j.Err + "\nmaster:\n" + m.Err);
        FolderAssert.Identical(master.Path, good.Path);
    }

    [Fact]
    public async Task A_master_without_a_secret_warns_that_the_swarm_is_open()
    {
        using var master = new TempFolder();
        master.Write("a.txt", "a");
        var (m, _) = await CliProcess.StartMasterAsync(master.Path);
        using var _m = m;
        await m.LineAsync(l => l.Contains("the swarm is open"), 10);
    }
}
