using LanScatter.Core.Diagnostics;
using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>A file found on disk, with its relative '/'-path.</summary>
internal sealed record LocalFile(string RelativePath, string FullPath, long Size, DateTime ModifiedUtc);

/// <summary>An entry left out of a walk, and why (a master warns about each once).</summary>
internal sealed record SkippedEntry(string RelativePath, string Reason);

/// <summary>
/// What a folder holds on disk, state folder aside. <see cref="Excluded"/>: entries left alone
/// (filtered out, or another LanScatter folder inside this one; the outermost ones only).
/// <see cref="Links"/>: symbolic links and junctions not followed. <see cref="Skipped"/>: what was
/// left out for a reason worth telling (links, nested LanScatter folders).
/// </summary>
internal sealed record LocalTree(
    IReadOnlyList<LocalFile> Files,
    IReadOnlyList<string> Directories,
    IReadOnlyList<string> EmptyDirectories,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Links,
    IReadOnlyList<SkippedEntry> Skipped);

/// <summary>
/// Lists a folder recursively. Skips the state folder at the root, and any folder holding a state
/// folder of its own (another LanScatter master or peer folder: mirroring it into itself would grow
/// without end). Links are never followed to folders (they could loop or leave the root); with
/// <c>followFileLinks</c> (a master) a link to a file inside the root counts as that file, with the
/// target's size and time, and any other link is skipped. Names are returned as they are; whether
/// they are acceptable in a manifest is the caller's decision.
/// </summary>
internal static class FolderWalker
{
    public static LocalTree Walk(string root, PathFilter? exclude = null, bool followFileLinks = false)
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
        var links = new List<string>();
        var skipped = new List<SkippedEntry>();
        var pending = new Stack<(DirectoryInfo Dir, string Relative)>();
        pending.Push((rootInfo, ""));
        while (pending.Count > 0)
        {
            var (dir, relative) = pending.Pop();
            bool any = false;
            foreach (var entry in List(dir))
            {
                var rel = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (relative.Length == 0 && string.Equals(entry.Name, StateFolder.Name, StringComparison.OrdinalIgnoreCase)) continue;
                if (exclude.Excludes(rel))
                {
                    excluded.Add(rel);
                    continue;
                }
                // A name that is not valid UTF-8 (Linux allows any bytes) comes back with U+FFFD in it
                // and cannot be opened by that name: left alone, neither sent nor deleted.
                if (entry.Name.IndexOf('\uFFFD') >= 0)
                {
                    excluded.Add(rel);
                    skipped.Add(new SkippedEntry(rel, "its name is not valid UTF-8; rename it to be synced"));
                    continue;
                }
                any = true;
                if (IsLink(entry))
                {
                    string? why = entry is FileInfo ? "a link to a file is not followed here" : "a link to a folder is not followed";
                    var followed = followFileLinks && entry is FileInfo link ? FileLinks.Follow(link, rootInfo.FullName, out why) : null;
                    if (followed is not null)
                    {
                        // Read and checked at the target: a link's own size and time are not the file's.
                        files.Add(new LocalFile(rel, followed.FullName, followed.Length, followed.LastWriteTimeUtc));
                        continue;
                    }
                    links.Add(rel);
                    skipped.Add(new SkippedEntry(rel, why ?? "the link is not followed"));
                }
                else if (entry is DirectoryInfo sub)
                {
                    if (Directory.Exists(Path.Combine(sub.FullName, StateFolder.Name)))
                    {
                        excluded.Add(rel);
                        skipped.Add(new SkippedEntry(rel, "it is another LanScatter folder (it holds a .lanscatter folder)"));
                        continue;
                    }
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
        links.Sort(StringComparer.Ordinal);
        return new LocalTree(files, dirs, empty, excluded, links, skipped);
    }

    // A symbolic link or a junction. .NET flags both as ReparsePoint, on Unix too (a link to a file,
    // to a folder, or to nothing; checked on .NET 10). Asking for LinkTarget as well cost a readlink
    // per entry: a second per million files (RescanBenchmarks).
    private static bool IsLink(FileSystemInfo entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;

    private static FileSystemInfo[] List(DirectoryInfo dir)
    {
        try
        {
            return dir.GetFileSystemInfos();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new LanScatterException("FolderUnreadable", $"cannot list '{dir.FullName}': {ex.Message}", ex);
        }
    }
}
