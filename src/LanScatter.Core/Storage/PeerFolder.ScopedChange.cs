using LanScatter.Core.Manifest;

namespace LanScatter.Core.Storage;

// A change from the master looked at path by path. The whole check walks the folder and compares
// every file with the manifest: for a million files that was 8 s of a one-file change, on every
// peer. When this folder already follows the previous manifest, a change looks only at the paths it
// touches, and the files it leaves alone keep what this peer knows of them. Anything unusual at a
// touched path (a folder or a link where a file goes, a folder holding something the master does
// not list) sends the change through the whole check instead, which knows what to do with it.
internal sealed partial class PeerFolder
{
    /// <summary>
    /// Below this many files every change checks the whole folder: cheap there, and it also puts
    /// right local edits made since (a bigger folder is checked whole when the peer joins).
    /// </summary>
    internal int ScopedChangeMinFiles { get; init; } = DefaultScopedChangeMinFiles;

    internal const int DefaultScopedChangeMinFiles = 10_000;

    /// <summary>
    /// A change looked at path by path. <see cref="Carried"/>: per file of the new manifest, the build
    /// of the same file under the previous one (null for a touched file). <see cref="Diff"/>: the
    /// touched files in manifest order, and what the change deletes and creates.
    /// </summary>
    private sealed record ScopedChange(FileBuild?[] Carried, FolderDiff Diff, int TouchedPaths);

    // Null when the whole check must run: nothing followed yet, another chunk size, manifests not
    // sorted by path, or something unusual at a touched path. A change to most of the folder costs
    // about what the whole check does, one look per path instead of a walk.
    private async Task<ScopedChange?> TryScopeChangeAsync(FolderManifest followed, CancellationToken cancellationToken)
    {
        FolderManifest? before;
        FileBuild[] builds;
        lock (_gate) (before, builds) = (_followed, _files);
        if (before is null || before.ChunkSize != followed.ChunkSize || followed.Files.Count < ScopedChangeMinFiles) return null;
        if (!PathOrder.IsSorted(before.Files) || !PathOrder.IsSorted(followed.Files)) return null; // one not in path order is taken whole

        var carried = new FileBuild?[followed.Files.Count];
        var touched = new List<ManifestFile>();
        var removed = new List<string>();
        Pair(before.Files, builds, followed.Files, carried, touched, removed);

        var look = new PathLook(Root);
        var localFiles = new Dictionary<string, LocalFile>(StringComparer.Ordinal);
        foreach (var path in touched.Select(f => f.Path).Concat(removed))
        {
            if (!look.ParentsArePlainFolders(path)) return null;
            switch (look.Kind(path, out var local))
            {
                case PathKind.Absent: break;
                case PathKind.File: localFiles[path] = local!; break;
                default: return null;
            }
        }

        var addedDirs = followed.EmptyDirectories.Except(before.EmptyDirectories, StringComparer.Ordinal).ToList();
        var removedDirs = before.EmptyDirectories.Except(followed.EmptyDirectories, StringComparer.Ordinal).ToList();
        var extraFiles = removed.Where(localFiles.ContainsKey).ToList();
        var going = new HashSet<string>(extraFiles, StringComparer.Ordinal);
        var extraDirs = FoldersLeftUnwanted(followed, removed, removedDirs, going, look);
        if (extraDirs is null) return null;
        going.UnionWith(extraDirs);

        // A new empty folder is made, or kept if it is there and holds only what the change deletes.
        var missingDirs = new List<string>();
        foreach (var dir in addedDirs)
        {
            if (!look.ParentsArePlainFolders(dir)) return null;
            var kind = look.Kind(dir, out _);
            if (kind == PathKind.Absent) missingDirs.Add(dir);
            else if (kind != PathKind.Folder || !look.HoldsOnly(dir, going.Contains)) return null;
        }

        var touchedManifest = new FolderManifest(followed.ChunkSize, touched, Array.Empty<string>());
        var (files, localChunks) = await LocalDiff.CompareFilesAsync(touchedManifest, localFiles, new HashSet<string>(StringComparer.Ordinal), new ChunkHasher(), CachedIds, cancellationToken).ConfigureAwait(false);
        return new ScopedChange(carried, new FolderDiff(files, extraFiles, extraDirs, missingDirs, localChunks, Array.Empty<string>()),
            touched.Count + removed.Count + addedDirs.Count + removedDirs.Count);
    }

    // A chunk a touched file needs that a file carried over holds verified: copied from there, as
    // the whole check copies a chunk from wherever it found it on disk. (A touched file's verified
    // chunks are among the sources already.)
    private void AddCarriedSources(FileBuild[] files, FileBuild?[] carried, Dictionary<string, ChunkPlaces> positions, Dictionary<string, ChunkSource> sources)
    {
        for (int i = 0; i < files.Length; i++)
        {
            if (carried[i] is not null || files[i].Complete) continue;
            foreach (var chunk in files[i].File.Chunks)
            {
                if (!sources.ContainsKey(chunk.Id) && VerifiedSource(files, positions, chunk.Id) is { } held) sources[chunk.Id] = held;
            }
        }
    }

    // A file the same in both lists carries its build over; a new or changed one is touched; one no
    // longer listed is removed.
    private static void Pair(IReadOnlyList<ManifestFile> before, FileBuild[] builds, IReadOnlyList<ManifestFile> after,
        FileBuild?[] carried, List<ManifestFile> touched, List<string> removed) =>
        PathOrder.Pair(before, after,
            both: (i, j) => { if (ManifestDelta.Same(before[i], after[j])) carried[j] = builds[i]; else touched.Add(after[j]); },
            onlyBefore: i => removed.Add(before[i].Path),
            onlyAfter: j => touched.Add(after[j]));

    // Folders the change leaves with nothing the master lists: the folders above removed files, and
    // removed empty folders. Each must hold only what the change deletes; null when one holds more
    // (a local file, a kept one, a link): the whole check decides about those.
    private static List<string>? FoldersLeftUnwanted(FolderManifest followed, List<string> removedFiles, List<string> removedDirs, HashSet<string> deletedFiles, PathLook look)
    {
        var wanted = new HashSet<string>(followed.EmptyDirectories, StringComparer.Ordinal);
        foreach (var dir in followed.EmptyDirectories) foreach (var parent in ManifestPath.Parents(dir)) wanted.Add(parent);
        var candidates = new HashSet<string>(removedDirs, StringComparer.Ordinal);
        foreach (var path in removedFiles.Concat(removedDirs)) foreach (var parent in ManifestPath.Parents(path)) candidates.Add(parent);
        var unwanted = new HashSet<string>(candidates.Where(d => !wanted.Contains(d) && !PathOrder.HasFileInside(followed.Files, d)), StringComparer.Ordinal);

        var result = new List<string>();
        foreach (var dir in unwanted.OrderByDescending(d => d.Length))
        {
            if (!look.ParentsArePlainFolders(dir)) return null;
            switch (look.Kind(dir, out _))
            {
                case PathKind.Absent: continue;
                case PathKind.Folder when look.HoldsOnly(dir, rel => deletedFiles.Contains(rel) || unwanted.Contains(rel)): result.Add(dir); break;
                default: return null;
            }
        }
        return result;
    }
}
