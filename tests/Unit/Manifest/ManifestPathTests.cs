using LanScatter.Core.Manifest;

namespace LanScatter.Tests.Manifest;

public class ManifestPathTests
{
    [Theory]
    [InlineData("a.txt")]
    [InlineData("dir/sub/file.bin")]
    [InlineData("Ünïcødé/日本語.txt")]
    [InlineData(".hidden")]
    [InlineData("console/x")]   // starts with CON but is not the device name
    [InlineData("a..b")]
    public void Accepts_ordinary_relative_paths(string path)
    {
        Assert.Null(ManifestPath.Problem(path));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("\\\\server\\share", "absolute")]
    [InlineData("C:/Windows", "drive")]
    [InlineData("a\\b", "backslash")]
    [InlineData("../outside", "'..'")]
    [InlineData("a/../../b", "'..'")]
    [InlineData("a/./b", "'.'")]
    [InlineData("a//b", "empty path segments")]
    [InlineData("a/", "empty path segments")]
    [InlineData("ab:c", "':'")]
    [InlineData("what?.txt", "'?'")]
    [InlineData("star*", "'*'")]
    [InlineData("pipe|", "'|'")]
    [InlineData("tab\there", "control")]
    [InlineData("trailing.", "ending in")]
    [InlineData("trailing ", "ending in")]
    [InlineData("CON", "reserved device")]
    [InlineData("dir/nul.txt", "reserved device")]
    [InlineData("LPT9.log", "reserved device")]
    [InlineData(".lanscatter/hashcache.json", "reserved for LanScatter")]
    [InlineData(".LanScatter", "reserved for LanScatter")]
    public void Rejects_unsafe_or_windows_invalid_paths_saying_why(string path, string reason)
    {
        var problem = ManifestPath.Problem(path);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Rejects_names_longer_than_255_characters()
    {
        Assert.NotNull(ManifestPath.Problem(new string('x', 256)));
        Assert.Null(ManifestPath.Problem(new string('x', 255)));
    }
}
