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
        var walk = new Walking(RootInfo(root), exclude ?? PathFilter.None, followFileLinks);
        walk.Folder(walk.Root, "");
        return walk.Tree();
    }

    /// <summary>
    /// Walks only the given paths under the root (each a file, a folder with everything in it, or
    /// nothing when it is gone), as <see cref="Walk"/> would see them. The folders above each path are
    /// the caller's to check: the walk starts at the path.
    /// </summary>
    public static LocalTree WalkPaths(string root, IEnumerable<string> relativePaths, PathFilter? exclude = null, bool followFileLinks = false)
    {
        var walk = new Walking(RootInfo(root), exclude ?? PathFilter.None, followFileLinks);
        foreach (var rel in relativePaths)
        {
            var full = ManifestPath.ToLocal(walk.Root.FullName, rel);
            if (AttributesOf(full) is not { } attributes) continue; // gone
            walk.Entry((attributes & FileAttributes.Directory) != 0 ? new DirectoryInfo(full) : new FileInfo(full), rel);
            walk.Drain();
        }
        return walk.Tree();
    }

    /// <summary>
    /// Whether a folder counts as empty in a manifest, as <see cref="Walk"/> decides it: nothing in it
    /// but excluded entries and names that cannot be synced.
    /// </summary>
    public static bool IsEmptyFolder(string root, string relative, PathFilter? exclude = null)
    {
        // Entry's answer for each entry, the walk itself thrown away.
        var walk = new Walking(RootInfo(root), exclude ?? PathFilter.None, followFileLinks: false);
        return !List(new DirectoryInfo(ManifestPath.ToLocal(walk.Root.FullName, relative))).Any(e => walk.Entry(e, relative + "/" + e.Name));
    }

    /// <summary>
    /// A path's own attributes (a link's, not its target's), or null when nothing is there. .NET
    /// answers -1 for that; .NET Framework (Windows PowerShell 5.1) throws instead.
    /// </summary>
    public static FileAttributes? AttributesOf(string fullPath) => AttributesOf(new FileInfo(fullPath));

    /// <inheritdoc cref="AttributesOf(string)"/>
    public static FileAttributes? AttributesOf(FileSystemInfo entry)
    {
        try
        {
            var attributes = entry.Attributes;
            return (int)attributes == -1 ? null : attributes;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static DirectoryInfo RootInfo(string root)
    {
        var rootInfo = new DirectoryInfo(root);
        if (!rootInfo.Exists)
        {
            if (File.Exists(root)) throw new LanScatterException("NotAFolder", $"'{root}' is a file, not a folder");
            throw new LanScatterException("FolderNotFound", $"folder not found: '{root}'");
        }
        return rootInfo;
    }

    // One walk's findings: Entry files one entry and queues a folder, Drain lists the queued folders depth-first.
    private sealed class Walking
    {
        private readonly PathFilter _exclude;
        private readonly bool _followFileLinks;
        private readonly List<LocalFile> _files = new();
        private readonly List<string> _dirs = new();
        private readonly List<string> _empty = new();
        private readonly List<string> _excluded = new();
        private readonly List<string> _links = new();
        private readonly List<SkippedEntry> _skipped = new();
        private readonly Stack<(DirectoryInfo Dir, string Relative)> _pending = new();

        public Walking(DirectoryInfo root, PathFilter exclude, bool followFileLinks)
        {
            Root = root;
            _exclude = exclude;
            _followFileLinks = followFileLinks;
        }

        public DirectoryInfo Root { get; }

        public void Folder(DirectoryInfo start, string startRelative)
        {
            _pending.Push((start, startRelative));
            Drain();
        }

        public void Drain()
        {
            while (_pending.Count > 0)
            {
                var (dir, relative) = _pending.Pop();
                bool any = false;
                foreach (var entry in List(dir))
                {
                    var rel = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                    if (relative.Length == 0 && IsStateFolder(entry.Name)) continue;
                    any |= Entry(entry, rel);
                }
                if (!any && relative.Length > 0) _empty.Add(relative);
            }
        }

        private static bool IsStateFolder(string name) => string.Equals(name, StateFolder.Name, StringComparison.OrdinalIgnoreCase);

        // Files one entry (a folder is queued for Drain); false when it leaves its folder empty.
        public bool Entry(FileSystemInfo entry, string rel)
        {
            if (_exclude.Excludes(rel))
            {
                _excluded.Add(rel);
                return false;
            }
            // A name that is not valid UTF-8 (Linux allows any bytes) comes back with U+FFFD in it
            // and cannot be opened by that name: left alone, neither sent nor deleted.
            if (entry.Name.IndexOf('\uFFFD') >= 0)
            {
                _excluded.Add(rel);
                _skipped.Add(new SkippedEntry(rel, "its name is not valid UTF-8; rename it to be synced"));
                return false;
            }
            if (IsLink(entry))
            {
                string? why = entry is FileInfo ? "a link to a file is not followed here" : "a link to a folder is not followed";
                var followed = _followFileLinks && entry is FileInfo link ? FileLinks.Follow(link, Root.FullName, out why) : null;
                if (followed is not null)
                {
                    // Read and checked at the target: a link's own size and time are not the file's.
                    _files.Add(new LocalFile(rel, followed.FullName, followed.Length, followed.LastWriteTimeUtc));
                    return true;
                }
                _links.Add(rel);
                _skipped.Add(new SkippedEntry(rel, why ?? "the link is not followed"));
            }
            else if (entry is DirectoryInfo sub)
            {
                if (Directory.Exists(Path.Combine(sub.FullName, StateFolder.Name)))
                {
                    _excluded.Add(rel);
                    _skipped.Add(new SkippedEntry(rel, "it is another LanScatter folder (it holds a .lanscatter folder)"));
                    return true;
                }
                _dirs.Add(rel);
                _pending.Push((sub, rel));
            }
            else if (entry is FileInfo file)
            {
                _files.Add(new LocalFile(rel, file.FullName, file.Length, file.LastWriteTimeUtc));
            }
            return true;
        }

        public LocalTree Tree()
        {
            _files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            _dirs.Sort(StringComparer.Ordinal);
            _empty.Sort(StringComparer.Ordinal);
            _excluded.Sort(StringComparer.Ordinal);
            _links.Sort(StringComparer.Ordinal);
            return new LocalTree(_files, _dirs, _empty, _excluded, _links, _skipped);
        }
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
