using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>
/// A rescan of only the paths a folder watcher reported changed: each is walked again (a file, a
/// folder with everything in it, or nothing when it is gone) and replaces what the manifest had there;
/// the folder above each gets its empty-or-not decided again. For a million files the whole walk was
/// 6.5 s of a one-file change. The result is what <see cref="FolderScanner.ScanAsync"/> would give
/// for the folder, provided the reported paths cover every change.
/// </summary>
internal static class PartialRescan
{
    /// <summary>
    /// The new manifest, or null when only a whole scan can tell (the folder itself was reported).
    /// <paramref name="changed"/>: relative '/'-paths; the state folder's own are ignored.
    /// </summary>
    public static async Task<FolderManifest?> RescanAsync(string root, FolderManifest current, IEnumerable<string> changed, ScanOptions options, CancellationToken cancellationToken)
    {
        var regions = Regions(root, changed);
        if (regions is null) return null;
        var tree = FolderWalker.WalkPaths(root, regions, options.Exclude, followFileLinks: true);
        FolderScanner.CheckFound(tree, options);
        var cache = options.UseHashCache ? options.Cache ?? HashCache.Load(root) : HashCache.Empty();
        var fresh = await FolderScanner.HashFilesAsync(tree.Files, current.ChunkSize, cache, options, cancellationToken).ConfigureAwait(false);

        // Everything the manifest had at or under a region goes; the walk says what is there now.
        var gone = new bool[current.Files.Count];
        foreach (var region in regions) MarkAtOrUnder(current.Files, region, gone);
        var files = PathOrder.Merge(current.Files.Where((_, i) => !gone[i]), fresh);
        if (options.UseHashCache)
        {
            var kept = new HashSet<string>(fresh.Select(f => f.Path), StringComparer.Ordinal);
            for (int i = 0; i < gone.Length; i++)
            {
                if (gone[i] && !kept.Contains(current.Files[i].Path)) cache.Remove(current.Files[i].Path);
            }
            if (options.SaveCache) FolderScanner.SaveCache(root, cache);
        }

        var empty = new HashSet<string>(current.EmptyDirectories.Where(d => !regions.Any(r => IsAtOrUnder(d, r))), StringComparer.Ordinal);
        empty.UnionWith(tree.EmptyDirectories);
        foreach (var parent in regions.Select(Parent).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal))
        {
            // Regions start below plain folders (Regions), so the parent is there to list.
            if (FolderWalker.IsEmptyFolder(root, parent, options.Exclude)) empty.Add(parent);
            else empty.Remove(parent);
        }
        // A folder holding something found now is not empty, however deep (its own event may be lost).
        foreach (var path in fresh.Select(f => f.Path).Concat(tree.EmptyDirectories)) foreach (var folder in ManifestPath.Parents(path)) empty.Remove(folder);
        var emptyDirectories = empty.ToList();
        emptyDirectories.Sort(StringComparer.Ordinal);
        return FolderScanner.Validated(new FolderManifest(current.ChunkSize, files, emptyDirectories));
    }

    // The reported paths, each moved up to the first folder above it that is not a plain folder on
    // disk now (gone, a link, a file, another LanScatter folder), with paths inside another dropped.
    private static List<string>? Regions(string root, IEnumerable<string> changed)
    {
        var look = new PathLook(root);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in changed)
        {
            if (path.Length == 0) return null;
            if (StateFolder.Contains(path)) continue;
            set.Add(ManifestPath.Parents(path).FirstOrDefault(folder => !look.IsPlainFolder(folder)) ?? path);
        }
        var regions = set.Where(r => !ManifestPath.Parents(r).Any(set.Contains)).ToList();
        regions.Sort(StringComparer.Ordinal);
        return regions;
    }

    // In a list sorted by path (ordinal): the file at the path itself, and the run of files under
    // "path/" (every such path sorts at or after "path/" and before "path0", '0' following '/').
    private static void MarkAtOrUnder(IReadOnlyList<ManifestFile> files, string path, bool[] gone)
    {
        int at = PathOrder.LowerBound(files, path);
        if (at < files.Count && files[at].Path == path) gone[at] = true;
        for (int i = PathOrder.LowerBound(files, path + "/"), end = PathOrder.LowerBound(files, path + "0"); i < end; i++) gone[i] = true;
    }

    private static bool IsAtOrUnder(string path, string region) =>
        path == region || path.StartsWith(region + "/", StringComparison.Ordinal);

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path.Substring(0, slash);
    }
}
