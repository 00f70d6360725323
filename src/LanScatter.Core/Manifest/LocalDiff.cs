namespace LanScatter.Core.Manifest;

/// <summary>
/// Compares a local folder with a manifest by hashing the local bytes at the manifest's chunk ranges.
/// Excluded local paths are kept: never extra, and the folders holding them are not extra either.
/// The manifest given is the one to follow (excluded paths already taken out, see <see cref="PathFilter.Apply"/>).
/// </summary>
internal static class LocalDiff
{
    /// <param name="cachedIds">
    /// Chunk ids known for a file of this path, size, time and chunk size (a peer's hash cache, kept in
    /// memory); by default the cache is read from the state folder.
    /// </param>
    public static async Task<FolderDiff> ComputeAsync(string root, FolderManifest manifest, ChunkHasher? hasher = null, CancellationToken cancellationToken = default,
        PathFilter? exclude = null, Func<string, long, DateTime, long, IReadOnlyList<string>?>? cachedIds = null)
    {
        var tree = FolderWalker.Walk(root, exclude);
        var localFiles = tree.Files.ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var localDirs = new HashSet<string>(tree.Directories, StringComparer.Ordinal);
        var (files, localChunks) = await CompareFilesAsync(manifest, localFiles, localDirs, hasher ?? new ChunkHasher(), cachedIds ?? HashCache.Load(root).TryGet, cancellationToken).ConfigureAwait(false);

        var wantedFiles = new HashSet<string>(manifest.Files.Select(f => f.Path), StringComparer.Ordinal);
        var wantedDirs = new HashSet<string>(manifest.EmptyDirectories, StringComparer.Ordinal);
        foreach (var path in manifest.Files.Select(f => f.Path).Concat(manifest.EmptyDirectories))
        {
            for (int slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1)) wantedDirs.Add(path.Substring(0, slash));
        }
        foreach (var kept in tree.Excluded)
        {
            for (int slash = kept.IndexOf('/'); slash >= 0; slash = kept.IndexOf('/', slash + 1)) wantedDirs.Add(kept.Substring(0, slash));
        }
        var extraFiles = tree.Files.Select(f => f.RelativePath).Where(p => !wantedFiles.Contains(p)).ToList();
        // A peer never writes or reads through a link: whatever the master has there, the link goes.
        var extraDirs = tree.Directories.Where(d => !wantedDirs.Contains(d)).ToList();
        var missingDirs = manifest.EmptyDirectories.Where(d => !localDirs.Contains(d)).ToList();
        return new FolderDiff(files, extraFiles, extraDirs, missingDirs, localChunks, tree.Excluded) { Links = tree.Links };
    }

    /// <summary>
    /// Every manifest file against the local file at its path, if any: which chunks are there and
    /// valid, and where each valid chunk can be read. <paramref name="localDirs"/>: which paths are folders on disk.
    /// </summary>
    public static async Task<(List<FileDiff> Files, Dictionary<string, ChunkSource> LocalChunks)> CompareFilesAsync(FolderManifest manifest,
        IReadOnlyDictionary<string, LocalFile> localFiles, ISet<string> localDirs, ChunkHasher hasher,
        Func<string, long, DateTime, long, IReadOnlyList<string>?> cachedIds, CancellationToken cancellationToken)
    {
        // Hash (or take from the cache) every manifest range that exists locally.
        var sources = new List<ChunkSource>();
        var owners = new List<(int File, int Chunk)>();
        var known = new Dictionary<(int File, int Chunk), string>();
        for (int i = 0; i < manifest.Files.Count; i++)
        {
            var f = manifest.Files[i];
            if (!localFiles.TryGetValue(f.Path, out var local)) continue;
            var cached = cachedIds(local.RelativePath, local.Size, local.ModifiedUtc, manifest.ChunkSize);
            for (int c = 0; c < f.Chunks.Count; c++)
            {
                var chunk = f.Chunks[c];
                if (chunk.Offset + chunk.Length > local.Size) break;
                if (cached is not null && c < cached.Count) known[(i, c)] = cached[c];
                else
                {
                    sources.Add(new ChunkSource(local.FullPath, chunk.Offset, chunk.Length));
                    owners.Add((i, c));
                }
            }
        }
        var ids = await hasher.HashAsync(sources, null, cancellationToken).ConfigureAwait(false);
        for (int k = 0; k < ids.Length; k++) known[owners[k]] = ids[k];

        var files = new List<FileDiff>(manifest.Files.Count);
        var localChunks = new Dictionary<string, ChunkSource>(StringComparer.Ordinal);
        for (int i = 0; i < manifest.Files.Count; i++)
        {
            var f = manifest.Files[i];
            localFiles.TryGetValue(f.Path, out var local);
            var present = new List<int>();
            for (int c = 0; c < f.Chunks.Count; c++)
            {
                if (known.TryGetValue((i, c), out var id) && id == f.Chunks[c].Id)
                {
                    present.Add(c);
                    if (!localChunks.ContainsKey(id)) localChunks[id] = new ChunkSource(local!.FullPath, f.Chunks[c].Offset, f.Chunks[c].Length);
                }
            }
            bool sizeDiffers = local is null || local.Size != f.Size;
            var state = !sizeDiffers && present.Count == f.Chunks.Count ? FileState.Complete
                : present.Count > 0 ? FileState.Partial : FileState.Missing;
            files.Add(new FileDiff(f, state, present, sizeDiffers, localDirs.Contains(f.Path)) { LocalModifiedUtc = local?.ModifiedUtc });
        }
        return (files, localChunks);
    }
}
