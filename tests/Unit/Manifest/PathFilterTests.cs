using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;

namespace LanScatter.Tests.Manifest;

public class PathFilterTests
{
    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "deep/down/app.LOG", true)] // a name pattern matches at any depth, case-insensitive
    [InlineData("*.log", "app.log.bak", false)]
    [InlineData("cache", "cache/a/b.bin", true)] // an excluded folder takes everything in it
    [InlineData("cache", "mycache/b.bin", false)]
    [InlineData("config/local.json", "config/local.json", true)]
    [InlineData("config/local.json", "other/config/local.json", false)] // a path pattern starts at the root
    [InlineData("logs/*", "logs/2026/x.txt", true)]
    [InlineData("logs/*", "logs", false)]
    [InlineData("file?.bin", "file1.bin", true)]
    [InlineData("file?.bin", "file10.bin", false)]
    [InlineData("[ab]*.txt", "b-notes.txt", true)]
    [InlineData("[ab]*.txt", "c-notes.txt", false)]
    [InlineData("[0-9].dat", "7.dat", true)]
    [InlineData("a`*b", "a*b", true)] // backtick escapes a wildcard, as in PowerShell
    [InlineData("a`*b", "axb", false)]
    [InlineData(@"logs\old", "logs/old/x", true)] // Windows separators in a pattern work too
    [InlineData("name.with+regex(chars)", "name.with+regex(chars)", true)]
    [InlineData("name.with+regex(chars)", "nameXwith+regex(chars)", false)]
    public void Matches_PowerShell_wildcards_on_names_at_any_depth_and_on_paths_from_the_root(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, PathFilter.Parse(new[] { pattern }).Excludes(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("../outside")]
    [InlineData("a/./b")]
    [InlineData("[abc")]
    public void A_pattern_that_cannot_be_used_is_an_InvalidOption_error_naming_it(string pattern)
    {
        var ex = Assert.Throws<LanScatterException>(() => PathFilter.Parse(new[] { pattern }));
        Assert.Equal("InvalidOption", ex.ErrorId);
        Assert.Contains($"'{pattern}'", ex.Message);
    }

    [Fact]
    public void No_patterns_exclude_nothing_and_leave_a_manifest_as_it_is()
    {
        var manifest = new FolderManifest(4096, new[] { new ManifestFile("a.log", 0, DateTime.UnixEpoch, Array.Empty<ManifestChunk>()) }, new[] { "empty" });
        Assert.False(PathFilter.Parse(null).Excludes("a.log"));
        Assert.Same(manifest, PathFilter.None.Apply(manifest));
        var filtered = PathFilter.Parse(new[] { "*.log", "empty" }).Apply(manifest);
        Assert.Empty(filtered.Files);
        Assert.Empty(filtered.EmptyDirectories);
    }
}
