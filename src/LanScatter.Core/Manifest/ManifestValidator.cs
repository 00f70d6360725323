namespace LanScatter.Core.Manifest;

/// <summary>
/// Rejects manifests that are malformed or hostile before anything acts on them: bad paths, names
/// that collide case-insensitively (or a file standing where a folder must be), and chunk lists
/// that are not a gap-free, overlap-free cover of their file.
/// </summary>
internal static class ManifestValidator
{
    public static void Validate(FolderManifest manifest)
    {
        if (manifest.ChunkSize < ChunkSizing.MinExplicit || manifest.ChunkSize > ChunkSizing.MaxExplicit)
            throw new InvalidManifestException($"chunk size {manifest.ChunkSize} is out of range");

        // Every name claimed so far (case-insensitive) and whether it is a file.
        var claimed = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in manifest.Files)
        {
            ManifestPath.Validate(file.Path);
            Claim(claimed, file.Path, isFile: true);
            ValidateChunks(file, manifest.ChunkSize);
        }
        foreach (var dir in manifest.EmptyDirectories)
        {
            ManifestPath.Validate(dir);
            Claim(claimed, dir, isFile: false);
        }
    }

    private static void Claim(Dictionary<string, bool> claimed, string path, bool isFile)
    {
        // Parent folders are implied; none of them may be a file.
        for (int slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path.Substring(0, slash);
            if (claimed.TryGetValue(parent, out var parentIsFile))
            {
                if (parentIsFile) throw new InvalidManifestException($"'{path}' lies inside '{parent}', which is a file");
            }
            else
            {
                claimed[parent] = false;
            }
        }
        if (claimed.TryGetValue(path, out var existingIsFile))
        {
            if (isFile || existingIsFile)
                throw new InvalidManifestException($"'{path}' collides with another entry (names must differ in more than letter case)");
            throw new InvalidManifestException($"folder '{path}' is listed as empty but other entries are inside it or it is listed twice");
        }
        claimed[path] = isFile;
    }

    private static void ValidateChunks(ManifestFile file, long chunkSize)
    {
        if (file.Size < 0) throw new InvalidManifestException($"file '{file.Path}' has a negative size");
        long expectedOffset = 0;
        for (int i = 0; i < file.Chunks.Count; i++)
        {
            var chunk = file.Chunks[i];
            if (chunk.Length <= 0 || chunk.Length > chunkSize)
                throw new InvalidManifestException($"file '{file.Path}': chunk {i} has length {chunk.Length}, outside 1..{chunkSize}");
            if (chunk.Offset < expectedOffset)
                throw new InvalidManifestException($"file '{file.Path}': chunk {i} overlaps the chunk before it");
            if (chunk.Offset > expectedOffset)
                throw new InvalidManifestException($"file '{file.Path}': the bytes {expectedOffset}..{chunk.Offset - 1} are in no chunk");
            if (!ChunkId.IsValid(chunk.Id))
                throw new InvalidManifestException($"file '{file.Path}': chunk {i} has an invalid id (64 lowercase hex digits expected)");
            expectedOffset = chunk.Offset + chunk.Length;
        }
        if (expectedOffset != file.Size)
            throw new InvalidManifestException($"file '{file.Path}': chunks cover {expectedOffset} bytes but the file has {file.Size}");
    }
}
