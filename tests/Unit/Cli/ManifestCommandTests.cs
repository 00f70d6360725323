using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

public class ManifestCommandTests
{
    [Fact]
    public async Task Prints_a_manifest_that_parses_back()
    {
        using var dir = new TempFolder();
        dir.Write("x/y.txt", TestData.Random(100_000, 1));
        var (code, output, error) = await CliRunner.Run("manifest", dir.Path, "--chunk-size", "64K");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var manifest = ManifestJson.Deserialize(output);
        Assert.Equal(64 * 1024, manifest.ChunkSize);
        Assert.Equal(2, manifest.Files[0].Chunks.Count);
    }

    [Fact]
    public async Task Missing_folder_is_one_line_and_exit_code_1()
    {
        var (code, output, error) = await CliRunner.Run("manifest", "/definitely/not/here");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("lanscatter manifest: error: folder not found: '/definitely/not/here'", error.TrimEnd());
    }

    [Theory]
    [InlineData("--chunk-size", "lots")]
    [InlineData("--chunk-size", "1K")]
    [InlineData("--colour", "red")]
    public async Task Bad_options_are_one_line_and_non_zero(string option, string value)
    {
        using var dir = new TempFolder();
        var (code, _, error) = await CliRunner.Run("manifest", dir.Path, option, value);
        Assert.NotEqual(0, code);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Unknown_command_and_help()
    {
        Assert.Equal(2, (await CliRunner.Run("frobnicate")).Code);
        var help = await CliRunner.Run("manifest", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--chunk-size", help.Out);
    }
}
