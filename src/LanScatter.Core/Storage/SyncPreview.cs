namespace LanScatter.Core.Storage;

/// <summary>What a sync would change in a folder (for dry runs): relative paths in each list.</summary>
public sealed record SyncPreview(IReadOnlyList<string> Create, IReadOnlyList<string> Change, IReadOnlyList<string> Delete, IReadOnlyList<string> CreateFolders, long BytesToFetch)
{
    /// <summary>Excluded local paths, left as they are (a folder stands for everything in it).</summary>
    public IReadOnlyList<string> Keep { get; init; } = Array.Empty<string>();
}
