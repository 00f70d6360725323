using System.Text.RegularExpressions;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

public class SimulateCommandTests
{
    [Fact]
    public async Task Ends_with_the_efficiency_line()
    {
        var (code, output, _) = await CliRunner.Run("simulate", "--peers", "6", "--chunks", "40", "--chunk-size", "1M", "--rate", "100", "--slow", "0.2", "--fail", "0.05", "--churn", "0.3", "--seed", "2");
        Assert.Equal(0, code);
        var last = output.TrimEnd().Split('\n').Last();
        Assert.Matches(new Regex(@"^efficiency=[01]\.\d\d efficiency_median=[01]\.\d\d$"), last);
    }

    [Fact]
    public async Task Plain_progress_lines_when_not_on_a_terminal()
    {
        var (_, output, _) = await CliRunner.Run("simulate", "--peers", "4", "--chunks", "20");
        Assert.Contains("peers complete", output);
        Assert.DoesNotContain("\x1b[", output);
    }

    [Theory]
    [InlineData("--peers", "0")]
    [InlineData("--slow", "2")]
    [InlineData("--fail", "x")]
    [InlineData("--chunk-size", "big")]
    public async Task Bad_values_are_usage_errors(string option, string value)
    {
        var (code, _, error) = await CliRunner.Run("simulate", option, value);
        Assert.Equal(2, code);
        Assert.Contains(option, error);
    }
}
