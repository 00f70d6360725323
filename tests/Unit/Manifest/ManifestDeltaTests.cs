using LanScatter.Core.Manifest;

namespace LanScatter.Tests.Manifest;

/// <summary>A delta made between two manifests, applied to the first, gives the second, in path order.</summary>
public class ManifestDeltaTests
{
    private const long Chunk = 64 * 1024;

    [Fact]
    public void A_delta_applied_to_its_base_gives_the_new_manifest()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var old = Sorted(Files(random, 200));
            var next = Sorted(Changed(random, old));
            var delta = ManifestDelta.Between(Manifest(old), 4, Manifest(next), 5);
            var applied = ManifestDelta.Apply(Manifest(old), 4, delta);
            Assert.Equal(ManifestJson.Serialize(Manifest(next)), ManifestJson.Serialize(applied));
            Assert.True(delta.Removed!.Count + ManifestJson.Deserialize(delta.Upserts!).Files.Count < next.Count / 2, $"seed {seed}: the delta should carry only what changed");
        }
    }

    [Fact]
    public void Manifests_not_in_path_order_still_give_a_delta_that_applies_in_path_order()
    {
        var random = new Random(7);
        var old = Files(random, 100); // as made, not sorted
        var next = Changed(random, old);
        var delta = ManifestDelta.Between(Manifest(old), 1, Manifest(next), 2);
        var applied = ManifestDelta.Apply(Manifest(old), 1, delta);
        Assert.Equal(ManifestJson.Serialize(Manifest(Sorted(next))), ManifestJson.Serialize(applied));
    }

    [Fact]
    public void A_delta_for_another_version_is_refused()
    {
        var random = new Random(3);
        var old = Sorted(Files(random, 10));
        var delta = ManifestDelta.Between(Manifest(old), 1, Manifest(Sorted(Changed(random, old))), 2);
        Assert.Throws<InvalidManifestException>(() => ManifestDelta.Apply(Manifest(old), 3, delta));
    }

    // Some files rewritten, some removed, some added (before and after existing paths).
    private static List<ManifestFile> Changed(Random random, List<ManifestFile> files)
    {
        var result = new List<ManifestFile>();
        foreach (var f in files)
        {
            int roll = random.Next(20);
            if (roll == 0) continue;
            result.Add(roll == 1 ? File(random, f.Path) : f);
        }
        for (int i = 0; i < files.Count / 20; i++) result.Add(File(random, $"{(char)('a' + random.Next(26))}/new-{random.Next(1_000_000)}.bin"));
        return result.GroupBy(f => f.Path, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
    }

    private static List<ManifestFile> Files(Random random, int count) =>
        Enumerable.Range(0, count).Select(i => File(random, $"{(char)('a' + random.Next(26))}/f{i}.bin")).ToList();

    private static ManifestFile File(Random random, string path)
    {
        int size = random.Next(1, (int)Chunk);
        var id = new byte[32];
        random.NextBytes(id);
        return new ManifestFile(path, size, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(1_000_000)),
            new[] { new ManifestChunk(0, size, Convert.ToHexString(id).ToLowerInvariant()) });
    }

    private static List<ManifestFile> Sorted(List<ManifestFile> files) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

    private static FolderManifest Manifest(List<ManifestFile> files) => new(Chunk, files, Array.Empty<string>());
}
