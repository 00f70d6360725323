namespace LanScatter.Core.Storage;

/// <summary>
/// The reserved folder at the root of every synced folder that holds node state (hash cache,
/// resume data, files being built). Never listed in a manifest, served or mirrored away.
/// </summary>
internal static class StateFolder
{
    public const string Name = ".lanscatter";

    public static string PathIn(string root) => System.IO.Path.Combine(root, Name);

    /// <summary>
    /// The nearest folder above <paramref name="path"/> that holds a state folder (another master's
    /// or peer's folder), or null. A node's folder inside another's would be mirrored into itself.
    /// </summary>
    public static string? EnclosingRoot(string path)
    {
        for (var dir = Directory.GetParent(System.IO.Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(PathIn(dir.FullName))) return dir.FullName;
        }
        return null;
    }

    /// <summary>The error for a folder inside another LanScatter folder (see <see cref="EnclosingRoot"/>).</summary>
    public static void ThrowIfNested(string path)
    {
        if (EnclosingRoot(path) is { } outer)
            throw new Diagnostics.LanScatterException("NestedFolder",
                $"'{path}' is inside '{outer}', another LanScatter folder (it holds {Name}): a master's or peer's folder cannot be inside another's; pick a folder outside it");
    }

    /// <summary>True when a relative '/'-path names the state folder or something inside it (any case).</summary>
    public static bool Contains(string relativePath)
    {
        int slash = relativePath.IndexOf('/');
        var first = slash < 0 ? relativePath : relativePath.Substring(0, slash);
        return string.Equals(first, Name, StringComparison.OrdinalIgnoreCase);
    }
}
