using System.Text.Json;

namespace LanScatter.Core.Manifest;

/// <summary>
/// The compact form a big manifest travels in. A manifest of a million files is 177 MB of JSON,
/// most of it chunk ids spelled in hex and property names; this form is a quarter of that, and
/// comes in pieces a peer fetches, checks and reads one at a time.
/// <para>A piece is "LSM1" and then its entries to the end: a tag (0 file, 1 empty folder), the
/// path as the number of UTF-8 bytes it shares with the previous path of the piece and the rest
/// (each a LEB128 number, then the bytes), and for a file its size (LEB128), its last write time
/// (UTC ticks, 8 bytes little-endian) and the 32-byte ids of its chunks (their offsets and lengths
/// follow from the size and the chunk size). The index is JSON: format, chunk size, counts, and
/// every piece's id and length in order.</para>
/// </summary>
internal static class ManifestPieces
{
    public const int IndexFormat = 2;
    internal static readonly byte[] Magic = { (byte)'L', (byte)'S', (byte)'M', (byte)'1' };
    internal const byte FileTag = 0, DirectoryTag = 1;

    /// <summary>Entries per piece (at most <see cref="ManifestPieceReader.MaxEntries"/>); lowered by tests.</summary>
    internal static int EntriesPerPiece { get; set; } = 50_000;

    /// <summary>Path bytes per piece, so that a piece of long paths stays small once read.</summary>
    internal const int PathBytesPerPiece = 16 << 20;

    public static EncodedManifest Encode(FolderManifest manifest)
    {
        var pieces = new List<byte[]>();
        var piece = new PieceWriter(manifest.ChunkSize);
        void Room()
        {
            if (piece.Entries < EntriesPerPiece && piece.PathBytes < PathBytesPerPiece) return;
            pieces.Add(piece.Finish());
            piece = new PieceWriter(manifest.ChunkSize);
        }
        foreach (var file in manifest.Files)
        {
            Room();
            piece.AddFile(file);
        }
        foreach (var dir in manifest.EmptyDirectories)
        {
            Room();
            piece.AddDirectory(dir);
        }
        if (piece.Entries > 0) pieces.Add(piece.Finish());

        var ids = pieces.Select(p => ChunkId.Of(p)).ToList();
        var index = new ManifestIndexDto
        {
            Format = IndexFormat,
            ChunkSize = manifest.ChunkSize,
            Files = manifest.Files.Count,
            EmptyDirectories = manifest.EmptyDirectories.Count,
            Pieces = pieces.Select((p, i) => new ManifestPieceDto { Id = ids[i], Bytes = p.Length }).ToList(),
        };
        return new EncodedManifest(JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Default.ManifestIndexDto), pieces, ids);
    }

    private sealed class PieceWriter
    {
        private readonly MemoryStream _bytes = new();
        private readonly long _chunkSize;
        private byte[] _previous = Array.Empty<byte>();

        public PieceWriter(long chunkSize)
        {
            _chunkSize = chunkSize;
            _bytes.Write(Magic, 0, Magic.Length);
        }

        public int Entries { get; private set; }
        public long PathBytes { get; private set; }

        public void AddFile(ManifestFile file)
        {
            Path(FileTag, file.Path);
            Number((ulong)file.Size);
            long ticks = file.ModifiedUtc.Ticks;
            for (int i = 0; i < 8; i++) _bytes.WriteByte((byte)(ticks >> (8 * i)));
            // Only ids travel: the offsets and lengths must be the ones the size implies, as a scan makes them.
            if (file.Chunks.Count != ChunkLayout.Count(file.Size, _chunkSize))
                throw new InvalidOperationException($"file '{file.Path}' is not cut in chunks of {_chunkSize} bytes");
            var id = new byte[ChunkId.DigestBytes];
            for (int i = 0; i < file.Chunks.Count; i++)
            {
                var chunk = file.Chunks[i];
                if (chunk.Offset != i * _chunkSize || chunk.Length != Math.Min(_chunkSize, file.Size - chunk.Offset) || !ChunkId.TryDecode(chunk.Id, id))
                    throw new InvalidOperationException($"file '{file.Path}': chunk {i} is not cut in chunks of {_chunkSize} bytes or has no valid id");
                _bytes.Write(id, 0, id.Length);
            }
        }

        public void AddDirectory(string path) => Path(DirectoryTag, path);

        public byte[] Finish() => _bytes.ToArray();

        private void Path(byte tag, string path)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(path);
            int shared = 0;
            int most = Math.Min(utf8.Length, _previous.Length);
            while (shared < most && utf8[shared] == _previous[shared]) shared++;
            _bytes.WriteByte(tag);
            Number((ulong)shared);
            Number((ulong)(utf8.Length - shared));
            _bytes.Write(utf8, shared, utf8.Length - shared);
            _previous = utf8;
            Entries++;
            PathBytes += utf8.Length;
        }

        private void Number(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
