namespace LanScatter.Core.Manifest;

/// <summary>How much of a manifest file is already on disk.</summary>
internal enum FileState
{
    /// <summary>No valid chunk of it is on disk (or nothing is there at all).</summary>
    Missing,

    /// <summary>Some chunks are on disk and valid, others must be fetched.</summary>
    Partial,

    /// <summary>Byte-identical to the manifest's file.</summary>
    Complete,
}

/// <summary>One manifest file compared with disk. <see cref="PresentChunks"/> are indices into its chunk list.</summary>
internal sealed record FileDiff(ManifestFile File, FileState State, IReadOnlyList<int> PresentChunks, bool SizeDiffers, bool FolderInTheWay)
{
    /// <summary>The local file's last write time, when there is one (no second look at the disk for it).</summary>
    public DateTime? LocalModifiedUtc { get; init; }
}

/// <summary>
/// A local folder compared with a manifest: the state of every manifest file, what is on disk but
/// not in the manifest (to delete when mirroring), folders to create, and every valid chunk found
/// anywhere locally by id (for copying duplicates instead of fetching them).
/// </summary>
internal sealed record FolderDiff(
    IReadOnlyList<FileDiff> Files,
    IReadOnlyList<string> ExtraFiles,
    IReadOnlyList<string> ExtraDirectories,
    IReadOnlyList<string> MissingDirectories,
    IReadOnlyDictionary<string, ChunkSource> LocalChunks,
    IReadOnlyList<string> Kept)
{
    /// <summary>Symbolic links and junctions in the folder: removed (the link, never its target) before anything is written.</summary>
    public IReadOnlyList<string> Links { get; init; } = Array.Empty<string>();

    public bool InSync => Files.All(f => f.State == FileState.Complete)
        && ExtraFiles.Count == 0 && ExtraDirectories.Count == 0 && MissingDirectories.Count == 0 && Links.Count == 0;
}
