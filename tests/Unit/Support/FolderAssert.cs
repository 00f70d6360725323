using LanScatter.Core.Storage;

namespace LanScatter.Tests.Support;

internal static class FolderAssert
{
    /// <summary>Same files with the same bytes and the same folders, state folder aside.</summary>
    public static void Identical(string expected, string actual)
    {
        Assert.Equal(Listing(expected), Listing(actual));
        foreach (var file in Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Where(f => !IsState(expected, f)))
        {
            var other = Path.Combine(actual, Path.GetRelativePath(expected, file));
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(other)), $"{other} differs");
        }
    }

    /// <summary>Every entry and the SHA-256 of every file, state folder aside: equal digests, equal folders.</summary>
    public static string Digest(string root)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        return string.Join("\n", Listing(root).Select(e => e.EndsWith('/') ? e : e + " " + Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(Path.Combine(root, e))))));
    }

    private static List<string> Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(e => !IsState(root, e))
            .Select(e => Path.GetRelativePath(root, e).Replace('\\', '/') + (Directory.Exists(e) ? "/" : ""))
            .OrderBy(x => x, StringComparer.Ordinal).ToList();

    private static bool IsState(string root, string path) =>
        Path.GetRelativePath(root, path).Replace('\\', '/').Split('/')[0] == StateFolder.Name;
}
