namespace LanScatter.Core.Storage;

/// <summary>
/// The reserved folder at the root of every synced folder that holds node state (hash cache,
/// resume data, files being built). Never listed in a manifest, served or mirrored away.
/// </summary>
internal static class StateFolder
{
    public const string Name = ".lanscatter";

    public static string PathIn(string root) => System.IO.Path.Combine(root, Name);

    /// <summary>True when a relative '/'-path names the state folder or something inside it (any case).</summary>
    public static bool Contains(string relativePath)
    {
        int slash = relativePath.IndexOf('/');
        var first = slash < 0 ? relativePath : relativePath.Substring(0, slash);
        return string.Equals(first, Name, StringComparison.OrdinalIgnoreCase);
    }
}
