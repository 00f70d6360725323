using LanScatter.Core.Diagnostics;
using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>A file found on disk, with its relative '/'-path.</summary>
internal sealed record LocalFile(string RelativePath, string FullPath, long Size, DateTime ModifiedUtc);

/// <summary>
/// What a folder holds on disk, state folder aside. <see cref="Excluded"/>: entries a filter left out
/// (the outermost ones: an excluded folder is listed, not its contents).
/// </summary>
internal sealed record LocalTree(IReadOnlyList<LocalFile> Files, IReadOnlyList<string> Directories, IReadOnlyList<string> EmptyDirectories, IReadOnlyList<string> Excluded);

/// <summary>
/// Lists a folder recursively. Skips the state folder at the root, and does not follow symbolic
/// links or junctions to folders (they could loop or leave the root). Names are returned as they
/// are; whether they are acceptable in a manifest is the caller's decision.
/// </summary>
internal static class FolderWalker
{
    public static LocalTree Walk(string root, PathFilter? exclude = null)
    {
        exclude ??= PathFilter.None;
        var rootInfo = new DirectoryInfo(root);
        if (!rootInfo.Exists)
        {
            if (File.Exists(root)) throw new LanScatterException("NotAFolder", $"'{root}' is a file, not a folder");
            throw new LanScatterException("FolderNotFound", $"folder not found: '{root}'");
        }

        var files = new List<LocalFile>();
        var dirs = new List<string>();
        var empty = new List<string>();
        var excluded = new List<string>();
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((rootInfo, ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            bool any = false;
            FileSystemInfo[] entries;
            try
            {
                entries = dir.GetFileSystemInfos();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                throw new LanScatterException("FolderUnreadable", $"cannot list '{dir.FullName}': {ex.Message}", ex);
            }
            foreach (var entry in entries)
            {
                var rel = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (relative.Length == 0 && string.Equals(entry.Name, StateFolder.Name, StringComparison.OrdinalIgnoreCase)) continue;
                if (exclude.Excludes(rel))
                {
                    excluded.Add(rel);
                    continue;
                }
                any = true;
                if (entry is DirectoryInfo sub)
                {
                    if ((sub.Attributes & FileAttributes.ReparsePoint) != 0) continue;
                    dirs.Add(rel);
                    pending.Push((sub, rel));
                }
                else if (entry is FileInfo file)
                {
                    files.Add(new LocalFile(rel, file.FullName, file.Length, file.LastWriteTimeUtc));
                }
            }
            if (!any && relative.Length > 0) empty.Add(relative);
        }
        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        dirs.Sort(StringComparer.Ordinal);
        empty.Sort(StringComparer.Ordinal);
        excluded.Sort(StringComparer.Ordinal);
        return new LocalTree(files, dirs, empty, excluded);
    }
}
