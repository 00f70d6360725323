using LanScatter.Cli;
using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

public class ManifestCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, new CliContext(stdout, stderr, false, CancellationToken.None));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Prints_a_manifest_that_parses_back()
    {
        using var dir = new TempFolder();
        dir.Write("x/y.txt", TestData.Random(100_000, 1));
        var (code, output, error) = await Run("manifest", dir.Path, "--chunk-size", "64K");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var manifest = ManifestJson.Deserialize(output);
        Assert.Equal(64 * 1024, manifest.ChunkSize);
        Assert.Equal(2, manifest.Files[0].Chunks.Count);
    }

    [Fact]
    public async Task Missing_folder_is_one_line_and_exit_code_1()
    {
        var (code, output, error) = await Run("manifest", "/definitely/not/here");
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
        var (code, _, error) = await Run("manifest", dir.Path, option, value);
        Assert.NotEqual(0, code);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Unknown_command_and_help()
    {
        Assert.Equal(2, (await Run("frobnicate")).Code);
        var help = await Run("manifest", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--chunk-size", help.Out);
    }
}
