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
        var before = old.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var upserts = next.Files.Where(f => !before.TryGetValue(f.Path, out var o) || !Same(o, f)).ToList();
        var nextPaths = new HashSet<string>(next.Files.Select(f => f.Path), StringComparer.Ordinal);
        delta.Upserts = ManifestJson.Serialize(new FolderManifest(next.ChunkSize, upserts, Array.Empty<string>()));
        delta.Removed = old.Files.Select(f => f.Path).Where(p => !nextPaths.Contains(p)).ToList();
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
        var files = current.Files.Where(f => !removed.Contains(f.Path) && !replaced.Contains(f.Path)).Concat(upserts.Files)
            .OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var result = new FolderManifest(current.ChunkSize, files, delta.EmptyDirectories);
        ManifestValidator.Validate(result);
        return result;
    }

    internal static bool Same(ManifestFile a, ManifestFile b) =>
        a.Size == b.Size && a.ModifiedUtc == b.ModifiedUtc && a.Chunks.SequenceEqual(b.Chunks);
}
