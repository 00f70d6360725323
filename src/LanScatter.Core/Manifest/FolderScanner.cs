using LanScatter.Core.Diagnostics;
using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>Scans a folder into a <see cref="FolderManifest"/>, hashing only what the cache does not know.</summary>
public static class FolderScanner
{
    /// <summary>How often a file that changes during hashing is hashed again before giving up.</summary>
    private const int Attempts = 3;

    public static async Task<FolderManifest> ScanAsync(string root, ScanOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ScanOptions();
        var tree = FolderWalker.Walk(root, options.Exclude, followFileLinks: true);
        CheckFound(tree, options);

        long total = tree.Files.Sum(f => f.Size);
        long chunkSize = options.ChunkSize is { } explicitSize ? ChunkSizing.Validate(explicitSize) : ChunkSizing.Adaptive(total);
        var cache = options.UseHashCache ? options.Cache ?? HashCache.Load(root) : HashCache.Empty();
        var files = await HashFilesAsync(tree.Files, chunkSize, cache, options, cancellationToken).ConfigureAwait(false);

        if (options.UseHashCache)
        {
            cache.RetainOnly(files.Select(f => f.Path));
            if (options.SaveCache) SaveCache(root, cache);
        }
        return Validated(new FolderManifest(chunkSize, files, tree.EmptyDirectories));
    }

    // Says what the walk left out, and refuses names a manifest cannot carry.
    internal static void CheckFound(LocalTree tree, ScanOptions options)
    {
        foreach (var skipped in tree.Skipped) options.Skipped?.Invoke(skipped.RelativePath, skipped.Reason);
        foreach (var path in tree.Files.Select(f => f.RelativePath).Concat(tree.EmptyDirectories))
        {
            var problem = ManifestPath.Problem(path);
            if (problem is not null) throw new LanScatterException("UnsupportedName", $"'{path}' cannot be synced: {problem}");
        }
    }

    internal static FolderManifest Validated(FolderManifest manifest)
    {
        try
        {
            ManifestValidator.Validate(manifest);
        }
        catch (InvalidManifestException ex)
        {
            throw new LanScatterException("UnsupportedName", $"the folder cannot be synced as it is: {ex.Message}", ex);
        }
        return manifest;
    }

    /// <summary>
    /// The manifest entries of local files (in the same order), hashing only what the cache does not
    /// know; a file that changes while it is read is read again.
    /// </summary>
    internal static async Task<ManifestFile[]> HashFilesAsync(IReadOnlyList<LocalFile> found, long chunkSize, HashCache cache, ScanOptions options, CancellationToken cancellationToken)
    {
        var local = found.ToArray();
        long total = local.Sum(f => f.Size);
        var hasher = new ChunkHasher(options.Workers);
        long hashed = 0, reused = 0;

        var files = new ManifestFile[local.Length];
        var todo = Enumerable.Range(0, local.Length).ToList();
        for (int attempt = 1; todo.Count > 0; attempt++)
        {
            var sources = new List<ChunkSource>();
            var owners = new List<int>();
            foreach (int i in todo)
            {
                var f = local[i];
                var cached = cache.TryGet(f.RelativePath, f.Size, f.ModifiedUtc, chunkSize);
                if (cached is not null)
                {
                    files[i] = Build(f, chunkSize, cached);
                    reused += f.Size;
                    continue;
                }
                foreach (var (offset, length) in ChunkLayout.Ranges(f.Size, chunkSize))
                {
                    sources.Add(new ChunkSource(f.FullPath, offset, length));
                    owners.Add(i);
                }
                if (f.Size == 0) files[i] = Build(f, chunkSize, Array.Empty<string>());
            }
            options.Progress?.Report(new ScanProgress(local.Length, total, hashed, reused));

            var ids = await hasher.HashAsync(sources, n =>
            {
                long done = Interlocked.Add(ref hashed, n);
                options.Progress?.Report(new ScanProgress(local.Length, total, done, Interlocked.Read(ref reused)));
            }, cancellationToken).ConfigureAwait(false);

            // A file whose size or time moved while we read it may mix old and new bytes: hash it again.
            var changed = new List<int>();
            foreach (var group in owners.Select((owner, k) => (owner, k)).GroupBy(x => x.owner))
            {
                var f = local[group.Key];
                var now = new FileInfo(f.FullPath);
                now.Refresh();
                if (!now.Exists || now.Length != f.Size || now.LastWriteTimeUtc != f.ModifiedUtc)
                {
                    if (!now.Exists) throw new LanScatterException("FileChanged", $"'{f.RelativePath}' was deleted during the scan; scan again");
                    local[group.Key] = new LocalFile(f.RelativePath, f.FullPath, now.Length, now.LastWriteTimeUtc);
                    changed.Add(group.Key);
                    continue;
                }
                var fileIds = group.Select(x => ids[x.k]).ToList();
                files[group.Key] = Build(f, chunkSize, fileIds);
                cache.Set(f.RelativePath, f.Size, f.ModifiedUtc, chunkSize, fileIds);
            }
            if (changed.Count > 0 && attempt >= Attempts)
                throw new LanScatterException("FileChanged", $"'{local[changed[0]].RelativePath}' keeps changing while it is read; try again when it is quiet");
            todo = changed;
        }
        return files;
    }

    private static ManifestFile Build(LocalFile f, long chunkSize, IReadOnlyList<string> ids)
    {
        var chunks = ChunkLayout.Ranges(f.Size, chunkSize).Select((r, i) => new ManifestChunk(r.Offset, r.Length, ids[i])).ToList();
        return new ManifestFile(f.RelativePath, f.Size, f.ModifiedUtc, chunks);
    }

    /// <summary>Writes the hash cache into the folder's state folder if it changed since it was read or last written.</summary>
    internal static void SaveCache(string root, HashCache cache)
    {
        if (!cache.Changed && File.Exists(HashCache.PathIn(root))) return;
        try
        {
            cache.Save(root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only folder can still be scanned; it is just hashed in full next time.
        }
    }
}
