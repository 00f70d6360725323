using LanScatter.Core.Manifest;
using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

public class ChunkCatalogTests
{
    [Fact]
    public void Duplicate_chunks_are_one_planner_chunk_so_they_are_fetched_once()
    {
        string zero = new('0', 64), one = new('1', 64);
        var t = DateTime.UtcNow;
        var manifest = new FolderManifest(4096, new[]
        {
            new ManifestFile("a", 8192, t, new[] { new ManifestChunk(0, 4096, zero), new ManifestChunk(4096, 4096, zero) }),
            new ManifestFile("b", 5000, t, new[] { new ManifestChunk(0, 4096, zero), new ManifestChunk(4096, 904, one) }),
        }, Array.Empty<string>());
        var catalog = ChunkCatalog.From(manifest);
        Assert.Equal(2, catalog.Count);
        Assert.True(catalog.TryGetIndex(one, out var i));
        Assert.Equal(904, catalog.Sizes[i]);
    }
}
