using LanScatter.Core.Manifest;

namespace LanScatter.Core.Storage;

/// <summary>What is at a path on disk, as a walk would see it (a link is never followed).</summary>
internal enum PathKind
{
    Absent,
    File,
    Folder,

    /// <summary>A symbolic link or junction.</summary>
    Link,
}

/// <summary>
/// Looks at single paths under a folder without walking it: what is there, and whether the folders
/// above a path are plain folders a write may go through (each folder looked at once).
/// </summary>
internal sealed class PathLook
{
    private readonly string _root;
    private readonly Dictionary<string, (PathKind Kind, bool OtherLanScatter)> _folders = new(StringComparer.Ordinal);

    public PathLook(string root) => _root = root;

    public PathKind Kind(string relative, out LocalFile? file)
    {
        file = null;
        var full = ManifestPath.ToLocal(_root, relative);
        var info = new FileInfo(full);
        if (FolderWalker.AttributesOf(info) is not { } attributes) return PathKind.Absent; // or the folder above is missing
        if ((attributes & FileAttributes.ReparsePoint) != 0) return PathKind.Link;
        if ((attributes & FileAttributes.Directory) != 0) return PathKind.Folder;
        file = new LocalFile(relative, full, info.Length, info.LastWriteTimeUtc);
        return PathKind.File;
    }

    /// <summary>
    /// True when every folder above the path is a plain folder or is missing (a write makes it):
    /// not a link, not a file, not another LanScatter folder (a walk leaves those alone).
    /// </summary>
    public bool ParentsArePlainFolders(string relative) =>
        ManifestPath.Parents(relative).All(parent => Folder(parent) is (PathKind.Absent, _) or (PathKind.Folder, false));

    /// <summary>True for a folder a walk goes into: there, not a link, not another LanScatter folder.</summary>
    public bool IsPlainFolder(string relative) => Folder(relative) is (PathKind.Folder, false);

    // Each folder looked at once.
    private (PathKind Kind, bool OtherLanScatter) Folder(string relative)
    {
        if (_folders.TryGetValue(relative, out var known)) return known;
        var kind = Kind(relative, out _);
        return _folders[relative] = (kind, kind == PathKind.Folder && Directory.Exists(Path.Combine(ManifestPath.ToLocal(_root, relative), StateFolder.Name)));
    }

    /// <summary>True when everything inside the folder (at any depth, by relative path) is <paramref name="going"/>, and no link is there.</summary>
    public bool HoldsOnly(string relative, Func<string, bool> going)
    {
        FileSystemInfo[] entries;
        try
        {
            entries = new DirectoryInfo(ManifestPath.ToLocal(_root, relative)).GetFileSystemInfos();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        foreach (var entry in entries)
        {
            var rel = relative + "/" + entry.Name;
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0 || !going(rel)) return false;
            if (entry is DirectoryInfo && !HoldsOnly(rel, going)) return false;
        }
        return true;
    }
}
