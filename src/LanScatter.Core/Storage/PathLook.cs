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
    private readonly Dictionary<string, bool> _plainFolders = new(StringComparer.Ordinal);

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
    /// True when every folder above the path is a folder (not a link, not a file) or is missing, and
    /// none is another LanScatter folder (a walk leaves those alone).
    /// </summary>
    public bool ParentsArePlainFolders(string relative)
    {
        for (int slash = relative.IndexOf('/'); slash >= 0; slash = relative.IndexOf('/', slash + 1))
        {
            var parent = relative.Substring(0, slash);
            if (!_plainFolders.TryGetValue(parent, out var plain))
            {
                var kind = Kind(parent, out _);
                plain = kind == PathKind.Absent
                    || kind == PathKind.Folder && !Directory.Exists(Path.Combine(ManifestPath.ToLocal(_root, parent), StateFolder.Name));
                _plainFolders[parent] = plain;
            }
            if (!plain) return false;
        }
        return true;
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
