using LanScatter.Core.Protocol;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Manifest changes as versioned deltas: files added or replaced (as a small manifest of their
/// own), paths removed, and the new list of empty folders. A chunk-size change sends the whole manifest.
/// </summary>
internal static class ManifestDelta
{
    public static ManifestDeltaMessage Between(FolderManifest old, int oldVersion, FolderManifest next, int version)
    {
        var delta = new ManifestDeltaMessage { BaseVersion = oldVersion, Version = version };
        if (old.ChunkSize != next.ChunkSize)
        {
            delta.FullManifest = ManifestJson.Serialize(next);
            return delta;
        }
        var (upserts, removed) = PathOrder.IsSorted(old.Files) && PathOrder.IsSorted(next.Files) ? Paired(old.Files, next.Files) : Hashed(old.Files, next.Files);
        delta.Upserts = ManifestJson.Serialize(new FolderManifest(next.ChunkSize, upserts, Array.Empty<string>()));
        delta.Removed = removed;
        delta.EmptyDirectories = next.EmptyDirectories.ToList();
        return delta;
    }

    /// <summary>Applies a delta to the manifest it was made from; the result is validated like any manifest.</summary>
    public static FolderManifest Apply(FolderManifest current, int currentVersion, ManifestDeltaMessage delta)
    {
        if (delta.FullManifest is not null) return ManifestJson.Deserialize(delta.FullManifest);
        if (delta.BaseVersion != currentVersion)
            throw new InvalidManifestException($"manifest delta {delta.BaseVersion}→{delta.Version} does not apply to version {currentVersion}");
        if (delta.Upserts is null || delta.Removed is null || delta.EmptyDirectories is null)
            throw new InvalidManifestException("manifest delta is missing 'upserts', 'removed' or 'emptyDirectories'");
        var upserts = ManifestJson.Deserialize(delta.Upserts);
        if (upserts.ChunkSize != current.ChunkSize) throw new InvalidManifestException("manifest delta has a different chunk size");
        var removed = new HashSet<string>(delta.Removed, StringComparer.Ordinal);
        var replaced = new HashSet<string>(upserts.Files.Select(f => f.Path), StringComparer.Ordinal);
        var kept = current.Files.Where(f => !removed.Contains(f.Path) && !replaced.Contains(f.Path));
        // Both sorted (as manifests are made): one merge instead of sorting a million paths.
        var files = PathOrder.IsSorted(current.Files) && PathOrder.IsSorted(upserts.Files) ? PathOrder.Merge(kept, upserts.Files)
            : kept.Concat(upserts.Files).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var result = new FolderManifest(current.ChunkSize, files, delta.EmptyDirectories);
        ManifestValidator.Validate(result);
        return result;
    }

    // Walks both sorted lists together: no dictionary of a million paths.
    private static (List<ManifestFile> Upserts, List<string> Removed) Paired(IReadOnlyList<ManifestFile> old, IReadOnlyList<ManifestFile> next)
    {
        var upserts = new List<ManifestFile>();
        var removed = new List<string>();
        PathOrder.Pair(old, next,
            both: (i, j) => { if (!Same(old[i], next[j])) upserts.Add(next[j]); },
            onlyBefore: i => removed.Add(old[i].Path),
            onlyAfter: j => upserts.Add(next[j]));
        return (upserts, removed);
    }

    private static (List<ManifestFile> Upserts, List<string> Removed) Hashed(IReadOnlyList<ManifestFile> old, IReadOnlyList<ManifestFile> next)
    {
        var before = old.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var upserts = next.Where(f => !before.TryGetValue(f.Path, out var o) || !Same(o, f)).ToList();
        var nextPaths = new HashSet<string>(next.Select(f => f.Path), StringComparer.Ordinal);
        return (upserts, old.Select(f => f.Path).Where(p => !nextPaths.Contains(p)).ToList());
    }

    internal static bool Same(ManifestFile a, ManifestFile b) =>
        a.Size == b.Size && a.ModifiedUtc == b.ModifiedUtc && a.Chunks.SequenceEqual(b.Chunks);
}
