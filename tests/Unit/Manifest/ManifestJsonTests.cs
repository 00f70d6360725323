using LanScatter.Core.Manifest;

namespace LanScatter.Tests.Manifest;

public class ManifestJsonTests
{
    private static readonly string IdA = new('a', 64);
    private static readonly string IdB = new('b', 64);

    private static FolderManifest Sample() => new(
        4096,
        new[]
        {
            new ManifestFile("dir/x.bin", 5000, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1234567),
                new[] { new ManifestChunk(0, 4096, IdA), new ManifestChunk(4096, 904, IdB) }),
            new ManifestFile("empty.txt", 0, new DateTime(2025, 5, 6, 0, 0, 0, DateTimeKind.Utc), Array.Empty<ManifestChunk>()),
        },
        new[] { "nothing/here" });

    [Fact]
    public void Round_trip_keeps_every_field()
    {
        var back = ManifestJson.Deserialize(ManifestJson.Serialize(Sample()));
        Assert.Equal(4096, back.ChunkSize);
        Assert.Equal(2, back.Files.Count);
        var f = back.Files[0];
        Assert.Equal("dir/x.bin", f.Path);
        Assert.Equal(5000, f.Size);
        Assert.Equal(Sample().Files[0].ModifiedUtc, f.ModifiedUtc);
        Assert.Equal(DateTimeKind.Utc, f.ModifiedUtc.Kind);
        Assert.Equal(new[] { new ManifestChunk(0, 4096, IdA), new ManifestChunk(4096, 904, IdB) }, f.Chunks);
        Assert.Empty(back.Files[1].Chunks);
        Assert.Equal(new[] { "nothing/here" }, back.EmptyDirectories);
    }

    [Fact]
    public void Json_carries_the_format_version()
    {
        Assert.Contains("\"format\": 1", ManifestJson.Serialize(Sample(), indented: true));
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "not json", "not valid JSON" },
        { "null", "empty" },
        { """{"format":2,"chunkSize":4096,"files":[]}""", "newer" },
        { """{"format":1,"chunkSize":4096}""", "no 'files'" },
        { """{"format":1,"chunkSize":0,"files":[]}""", "chunk size" },
        { File("/etc/passwd", 0, ""), "absolute" },
        { File("../x", 0, ""), "'..'" },
        { File("a/../../x", 0, ""), "'..'" },
        { File("bad:name", 0, ""), "':'" },
        { File("x", -1, ""), "negative" },
        { File("x", 10, Chunk(0, 5, 'a') + "," + Chunk(3, 7, 'b')), "overlaps" },
        { File("x", 10, Chunk(0, 5, 'a') + "," + Chunk(6, 4, 'b')), "in no chunk" },
        { File("x", 10, Chunk(0, 5, 'a')), "cover 5 bytes" },
        { File("x", 10, Chunk(2, 8, 'a')), "in no chunk" },
        { File("x", 5, Chunk(0, 5, 'Z')), "invalid id" },
        { File("x", 9000, Chunk(0, 9000, 'a')), "outside 1..4096" },
        { File("x", 0, Chunk(0, 0, 'a')), "length 0" },
        { Two("Readme.txt", "README.TXT"), "collides" },
        { Two("a", "a/b"), "inside 'a', which is a file" },
        { Two("a/b", "A"), "collides" },
        { """{"format":1,"chunkSize":4096,"files":[],"emptyDirectories":["../up"]}""", "'..'" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Malformed_or_hostile_manifests_are_rejected_with_a_clear_reason(string json, string reason)
    {
        var ex = Assert.Throws<InvalidManifestException>(() => ManifestJson.Deserialize(json));
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("InvalidManifest", ex.ErrorId);
    }

    [Fact]
    public void A_missing_manifest_in_a_message_is_an_invalid_manifest_not_a_crash()
    {
        // A welcome with "manifest": null reached Deserialize as null (the fuzz test's seed 28256911).
        var ex = Assert.Throws<InvalidManifestException>(() => ManifestJson.Deserialize((string?)null));
        Assert.Contains("missing", ex.Message);
    }

    private static string Chunk(long offset, long length, char id) => $$"""{"offset":{{offset}},"length":{{length}},"id":"{{new string(id, 64)}}"}""";

    private static string File(string path, long size, string chunks) =>
        $$"""{"format":1,"chunkSize":4096,"files":[{"path":{{System.Text.Json.JsonSerializer.Serialize(path)}},"size":{{size}},"modified":"2026-01-01T00:00:00Z","chunks":[{{chunks}}]}]}""";

    private static string Two(string a, string b) =>
        $$"""{"format":1,"chunkSize":4096,"files":[{"path":"{{a}}","size":0,"modified":"2026-01-01T00:00:00Z","chunks":[]},{"path":"{{b}}","size":0,"modified":"2026-01-01T00:00:00Z","chunks":[]}]}""";
}
