using LanScatter.Core.Manifest;

namespace LanScatter.Core.Planning;

/// <summary>
/// The planner's chunk numbering for a manifest: one index per distinct chunk id, so a chunk that
/// appears in several places (duplicate files, runs of zeros, a renamed file) is fetched once and
/// copied locally to its other places.
/// </summary>
internal sealed class ChunkCatalog
{
    private readonly Dictionary<string, int> _indexOf;

    private ChunkCatalog(List<string> ids, List<long> sizes, List<bool> wholeFiles, Dictionary<string, int> indexOf)
    {
        Ids = ids;
        Sizes = sizes;
        WholeFiles = wholeFiles;
        _indexOf = indexOf;
    }

    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<long> Sizes { get; }

    /// <summary>Whether each chunk is the whole content of some file (what bundles carry).</summary>
    public IReadOnlyList<bool> WholeFiles { get; }
    public int Count => Ids.Count;

    public static ChunkCatalog From(FolderManifest manifest)
    {
        var ids = new List<string>();
        var sizes = new List<long>();
        var wholeFiles = new List<bool>();
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            foreach (var chunk in file.Chunks)
            {
                if (indexOf.TryGetValue(chunk.Id, out int known))
                {
                    if (file.Chunks.Count == 1) wholeFiles[known] = true;
                    continue;
                }
                indexOf[chunk.Id] = ids.Count;
                ids.Add(chunk.Id);
                sizes.Add(chunk.Length);
                wholeFiles.Add(file.Chunks.Count == 1);
            }
        }
        return new ChunkCatalog(ids, sizes, wholeFiles, indexOf);
    }

    public bool TryGetIndex(string id, out int index) => _indexOf.TryGetValue(id, out index);
}
