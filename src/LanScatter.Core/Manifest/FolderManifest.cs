namespace LanScatter.Core.Manifest;

/// <summary>
/// What a folder holds: its files (sorted by path, ordinal) with their chunks, and its empty
/// folders. Paths are relative, with '/' separators, already validated.
/// </summary>
public sealed class FolderManifest
{
    /// <summary>The JSON format this build writes and reads.</summary>
    public const int CurrentFormat = 1;

    public FolderManifest(long chunkSize, IReadOnlyList<ManifestFile> files, IReadOnlyList<string> emptyDirectories)
    {
        ChunkSize = chunkSize;
        Files = files;
        EmptyDirectories = emptyDirectories;
    }

    public long ChunkSize { get; }
    public IReadOnlyList<ManifestFile> Files { get; }

    /// <summary>Folders with nothing in them (their parents are implied).</summary>
    public IReadOnlyList<string> EmptyDirectories { get; }

    public long TotalBytes => Files.Sum(f => f.Size);
    public int ChunkCount => Files.Sum(f => f.Chunks.Count);
}
