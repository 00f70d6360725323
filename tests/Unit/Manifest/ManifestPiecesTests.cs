using System.Text;
using System.Text.Json;
using LanScatter.Core.Manifest;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Manifest;

/// <summary>
/// The compact form a big manifest travels in: a JSON index and pieces of binary entries. It must
/// give back exactly the manifest it was made from, be much smaller than JSON, and turn anything
/// malformed into an <see cref="InvalidManifestException"/>, nothing else.
/// </summary>
[Collection(SerialCollection.Name)] // lowers ManifestPieces.EntriesPerPiece
public class ManifestPiecesTests
{
    private const long ChunkSize = 4096;

    private static string Id(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return ChunkId.ToHex(bytes);
    }

    // Files of zero, one and several chunks (one an exact multiple of the chunk size), names that
    // share prefixes cut inside multi-byte characters, and empty folders.
    private static FolderManifest Sample(int files, int seed = 1)
    {
        var random = new Random(seed);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        string[] stems = { "dir", "dïr", "dïö", "文件夹", "文件名", "a b", "x" };
        while (names.Count < files) names.Add($"{stems[random.Next(stems.Length)]}/{stems[random.Next(stems.Length)]}{random.Next(1000)}.bin");
        var list = new List<ManifestFile>();
        foreach (var name in names)
        {
            long size = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 4097), 2 => ChunkSize * 3, _ => random.Next(4097, 40000) };
            var chunks = ChunkLayout.Ranges(size, ChunkSize).Select(r => new ManifestChunk(r.Offset, r.Length, Id(random))).ToList();
            list.Add(new ManifestFile(name, size, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, 1L << 50)), chunks));
        }
        return new FolderManifest(ChunkSize, list, new[] { "empty", "empty2/deeper", "空/folder" });
    }

    private static FolderManifest Read(EncodedManifest wire)
    {
        var reader = new ManifestPieceReader(wire.Index);
        foreach (var piece in reader.Pieces) reader.Add(wire.PiecesById[piece.Id!]);
        return reader.Finish();
    }

    private static void AssertSame(FolderManifest expected, FolderManifest actual)
    {
        Assert.Equal(expected.ChunkSize, actual.ChunkSize);
        Assert.Equal(expected.Files.Count, actual.Files.Count);
        for (int i = 0; i < expected.Files.Count; i++)
        {
            var (e, a) = (expected.Files[i], actual.Files[i]);
            Assert.Equal((e.Path, e.Size, e.ModifiedUtc), (a.Path, a.Size, a.ModifiedUtc));
            Assert.Equal(DateTimeKind.Utc, a.ModifiedUtc.Kind);
            Assert.Equal(e.Chunks, a.Chunks);
        }
        Assert.Equal(expected.EmptyDirectories, actual.EmptyDirectories);
    }

    private static T WithEntriesPerPiece<T>(int entries, Func<T> run)
    {
        var before = ManifestPieces.EntriesPerPiece;
        ManifestPieces.EntriesPerPiece = entries;
        try
        {
            return run();
        }
        finally
        {
            ManifestPieces.EntriesPerPiece = before;
        }
    }

    [Fact]
    public void A_manifest_read_back_from_its_pieces_is_the_one_encoded()
    {
        var manifest = Sample(300);
        var wire = WithEntriesPerPiece(7, () => ManifestPieces.Encode(manifest));
        Assert.Equal((303 + 6) / 7, wire.Pieces.Count); // 300 files and 3 folders, 7 entries a piece
        AssertSame(manifest, Read(wire));

        var whole = ManifestPieces.Encode(manifest);
        Assert.Single(whole.Pieces);
        AssertSame(manifest, Read(whole));
        Assert.NotEqual(whole.Digest, wire.Digest);
    }

    [Fact]
    public void The_same_manifest_gives_the_same_index_and_a_changed_one_another()
    {
        var manifest = Sample(50);
        Assert.Equal(ManifestPieces.Encode(manifest).Index, ManifestPieces.Encode(Sample(50)).Index);
        var files = manifest.Files.ToList();
        files[10] = files[10] with { ModifiedUtc = files[10].ModifiedUtc.AddTicks(1) };
        Assert.NotEqual(ManifestPieces.Encode(manifest).Digest, ManifestPieces.Encode(new FolderManifest(ChunkSize, files, manifest.EmptyDirectories)).Digest);
    }

    [Fact]
    public void One_chunk_files_take_under_a_third_of_their_json()
    {
        // The million-file folder's shape: short names, one chunk each (177 MB of JSON).
        var random = new Random(3);
        var files = Enumerable.Range(0, 10_000).Select(i => new ManifestFile($"d{i / 1000:D3}/f{i:D7}.txt", 12,
            DateTime.UtcNow, new[] { new ManifestChunk(0, 12, Id(random)) })).ToList();
        var manifest = new FolderManifest(ChunkSize, files, Array.Empty<string>());
        long compact = ManifestPieces.Encode(manifest).Bytes, json = ManifestJson.SerializeToUtf8(manifest).Length;
        Assert.True(compact * 3 < json, $"compact {compact} bytes, JSON {json}");
    }

    [Fact]
    public void A_manifest_not_cut_at_the_chunk_size_is_not_encoded_wrongly()
    {
        var odd = new FolderManifest(ChunkSize, new[] { new ManifestFile("x", 5000, DateTime.UtcNow, new[] { new ManifestChunk(0, 1000, new string('a', 64)), new ManifestChunk(1000, 4000, new string('b', 64)) }) }, Array.Empty<string>());
        Assert.Throws<InvalidOperationException>(() => ManifestPieces.Encode(odd));
    }

    // An index naming these pieces as they are, so that the reader gets past the id check and reads them.
    private static byte[] IndexFor(IReadOnlyList<byte[]> pieces, int files, int directories, long chunkSize = ChunkSize, int format = ManifestPieces.IndexFormat) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            format,
            chunkSize,
            files,
            emptyDirectories = directories,
            pieces = pieces.Select(p => new { id = ChunkId.Of(p), bytes = p.Length }),
        }));

    private static FolderManifest ReadAll(byte[] index, IEnumerable<byte[]> pieces)
    {
        var reader = new ManifestPieceReader(index);
        foreach (var piece in pieces) reader.Add(piece);
        return reader.Finish();
    }

    [Fact]
    public void Every_truncation_and_many_corruptions_of_a_piece_are_invalid_manifests_and_nothing_worse()
    {
        var manifest = Sample(12, seed: 7);
        var piece = ManifestPieces.Encode(manifest).Pieces.Single();
        var (files, dirs) = (manifest.Files.Count, manifest.EmptyDirectories.Count);
        for (int length = 0; length < piece.Length; length++)
        {
            var cut = piece.AsSpan(0, length).ToArray();
            Assert.Throws<InvalidManifestException>(() => ReadAll(IndexFor(new[] { cut }, files, dirs), new[] { cut }));
        }
        var random = new Random(11);
        int invalid = 0;
        for (int i = 0; i < 3000; i++)
        {
            var bad = (byte[])piece.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            try
            {
                ReadAll(IndexFor(new[] { bad }, files, dirs), new[] { bad });
            }
            catch (InvalidManifestException)
            {
                invalid++;
            }
        }
        // A flip inside an id or a time gives another valid manifest; most do not.
        Assert.InRange(invalid, 1000, 3000);
    }

    public static TheoryData<string, byte[], string> HostilePieces => new()
    {
        { "unknown entry kind", Piece(7), "unknown kind 7" },
        { "shares more than the previous path", Piece(1, 3, 1, (byte)'a'), "does not fit" },
        { "longer than the piece", Piece(1, 0, 100, (byte)'a'), "does not fit" },
        { "not UTF-8", Piece(1, 0, 2, 0xC3, 0x28), "not UTF-8" },
        { "a number of eleven bytes", Piece(1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0), "number out of range" },
        // A file of 2^62 bytes: 2^50 ids it does not hold, refused before any is allocated.
        { "a size far beyond its ids", Piece(0, 0, 1, (byte)'x', 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0, 0, 0, 0, 0, 0, 0, 0), "ends inside the chunk ids" },
        { "a time out of range", Piece(0, 0, 1, (byte)'x', 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), "time out of range" },
        { "no magic", new byte[] { (byte)'J', (byte)'S', (byte)'O', (byte)'N' }, "does not start as a manifest piece" },
        // 30 KB of folders, each the one before and a letter more: 40 MB of paths once spelled out.
        { "paths grown by sharing", GrowingPaths(9000), "bytes of paths" },
    };

    private static byte[] GrowingPaths(int entries)
    {
        var bytes = new List<byte>(ManifestPieces.Magic);
        for (int i = 0; i < entries; i++)
        {
            bytes.Add(ManifestPieces.DirectoryTag);
            for (int shared = i; ; shared >>= 7)
            {
                bytes.Add((byte)(shared < 0x80 ? shared : (shared & 0x7F) | 0x80));
                if (shared < 0x80) break;
            }
            bytes.Add(1);
            bytes.Add((byte)'a');
        }
        return bytes.ToArray();
    }

    private static byte[] Piece(params int[] entries) => ManifestPieces.Magic.Concat(entries.Select(b => (byte)b)).ToArray();

    [Theory]
    [MemberData(nameof(HostilePieces))]
    public void A_hostile_piece_is_refused_with_the_reason(string what, byte[] piece, string reason)
    {
        var ex = Assert.Throws<InvalidManifestException>(() => ReadAll(IndexFor(new[] { piece }, 1, 0), new[] { piece }));
        Assert.True(ex.Message.Contains(reason), $"{what}: {ex.Message}");
    }

    [Fact]
    public void Pieces_that_are_not_the_ones_the_index_names_are_refused()
    {
        var wire = WithEntriesPerPiece(5, () => ManifestPieces.Encode(Sample(20)));
        var other = WithEntriesPerPiece(5, () => ManifestPieces.Encode(Sample(20, seed: 2)));
        Assert.Contains("not the one its index names", Assert.Throws<InvalidManifestException>(() => ReadAll(wire.Index, other.Pieces)).Message);
        Assert.Contains("not the one its index names", Assert.Throws<InvalidManifestException>(() => ReadAll(wire.Index, wire.Pieces.Reverse())).Message);
        Assert.Contains("more pieces than its index lists", Assert.Throws<InvalidManifestException>(() => ReadAll(wire.Index, wire.Pieces.Concat(wire.Pieces.Take(1)))).Message);
        Assert.Contains("ends after 2 of its", Assert.Throws<InvalidManifestException>(() => ReadAll(wire.Index, wire.Pieces.Take(2))).Message);
    }

    public static TheoryData<string, string> HostileIndexes => new()
    {
        { "not json", "not valid JSON" },
        { "null", "empty" },
        { """{"format":1,"chunkSize":4096,"files":0,"emptyDirectories":0,"pieces":[]}""", "format 1" },
        { """{"format":2,"chunkSize":3,"files":0,"emptyDirectories":0,"pieces":[]}""", "chunk size" },
        { """{"format":2,"chunkSize":4096,"files":-1,"emptyDirectories":0,"pieces":[]}""", "negative" },
        { """{"format":2,"chunkSize":4096,"files":0,"emptyDirectories":0}""", "no 'pieces'" },
        { """{"format":2,"chunkSize":4096,"files":0,"emptyDirectories":0,"pieces":[null]}""", "valid id" },
        { """{"format":2,"chunkSize":4096,"files":0,"emptyDirectories":0,"pieces":[{"id":"ZZ","bytes":10}]}""", "valid id" },
    };

    [Theory]
    [MemberData(nameof(HostileIndexes))]
    public void A_hostile_index_is_refused_with_the_reason(string index, string reason)
    {
        var ex = Assert.Throws<InvalidManifestException>(() => new ManifestPieceReader(Encoding.UTF8.GetBytes(index)));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Counts_that_differ_from_the_index_and_unsafe_paths_are_refused()
    {
        var manifest = Sample(10);
        var piece = ManifestPieces.Encode(manifest).Pieces.Single();
        Assert.Contains("its index 11", Assert.Throws<InvalidManifestException>(() => ReadAll(IndexFor(new[] { piece }, 11, 3), new[] { piece })).Message);
        var climbing = new FolderManifest(ChunkSize, Array.Empty<ManifestFile>(), new[] { "a" });
        var bad = ManifestPieces.Encode(climbing).Pieces.Single();
        bad[^1] = (byte)'/'; // the folder "/": an absolute path
        Assert.Contains("absolute", Assert.Throws<InvalidManifestException>(() => ReadAll(IndexFor(new[] { bad }, 0, 1), new[] { bad })).Message);
    }
}
