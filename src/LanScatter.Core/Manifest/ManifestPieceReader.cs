using System.Text;
using System.Text.Json;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Reads a compact manifest (<see cref="ManifestPieces"/>) as it arrives: the index first, then
/// each piece, checked against the index's id for it before a byte of it is read. Everything read
/// is hostile until <see cref="Finish"/> has validated the whole; any fault is an
/// <see cref="InvalidManifestException"/>.
/// </summary>
internal sealed class ManifestPieceReader
{
    /// <summary>What a reader accepts in one piece, whatever the master says: bounds the memory one piece can cost.</summary>
    internal const int MaxEntries = 1 << 16;
    internal const int MaxPathBytes = 2 * ManifestPieces.PathBytesPerPiece;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ManifestIndexDto _index;
    private readonly List<ManifestFile> _files;
    private readonly List<string> _directories;
    private int _next;

    public ManifestPieceReader(byte[] index)
    {
        _index = ReadIndex(index);
        // Capacity from counts a hostile index may inflate: capped, the lists grow past it if they must.
        _files = new List<ManifestFile>(Math.Min(_index.Files, 1 << 20));
        _directories = new List<string>(Math.Min(_index.EmptyDirectories, 1 << 16));
    }

    /// <summary>The pieces to fetch, in order.</summary>
    public IReadOnlyList<ManifestPieceDto> Pieces => _index.Pieces!;

    /// <summary>Adds the next piece; it must be the one the index names next.</summary>
    public void Add(byte[] piece)
    {
        if (_next >= Pieces.Count) throw new InvalidManifestException("the manifest has more pieces than its index lists");
        var expected = Pieces[_next];
        if (piece.Length != expected.Bytes || ChunkId.Of(piece) != expected.Id)
            throw new InvalidManifestException($"piece {_next + 1} of the manifest is not the one its index names");
        _next++;
        Read(piece);
    }

    public FolderManifest Finish()
    {
        if (_next != Pieces.Count) throw new InvalidManifestException($"the manifest ends after {_next} of its {Pieces.Count} pieces");
        if (_files.Count != _index.Files || _directories.Count != _index.EmptyDirectories)
            throw new InvalidManifestException($"the manifest's pieces hold {_files.Count} files and {_directories.Count} empty folders, its index {_index.Files} and {_index.EmptyDirectories}");
        var manifest = new FolderManifest(_index.ChunkSize, _files, _directories);
        ManifestValidator.Validate(manifest);
        return manifest;
    }

    private static ManifestIndexDto ReadIndex(byte[] index)
    {
        ManifestIndexDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(index, ManifestJsonContext.Default.ManifestIndexDto);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidManifestException($"the manifest's index is not valid JSON ({ex.Message})", ex);
        }
        if (dto is null) throw new InvalidManifestException("the manifest's index is empty (JSON null)");
        if (dto.Format != ManifestPieces.IndexFormat)
            throw new InvalidManifestException($"the manifest's index has format {dto.Format}; this LanScatter reads format {ManifestPieces.IndexFormat} (run the same LanScatter version on master and peers)");
        if (dto.ChunkSize < ChunkSizing.MinExplicit || dto.ChunkSize > ChunkSizing.MaxExplicit)
            throw new InvalidManifestException($"chunk size {dto.ChunkSize} is out of range");
        if (dto.Files < 0 || dto.EmptyDirectories < 0) throw new InvalidManifestException("the manifest's index has a negative count");
        if (dto.Pieces is null) throw new InvalidManifestException("the manifest's index has no 'pieces' list");
        foreach (var piece in dto.Pieces)
        {
            if (piece is null || !ChunkId.IsValid(piece.Id) || piece.Bytes < ManifestPieces.Magic.Length || piece.Bytes > int.MaxValue)
                throw new InvalidManifestException("the manifest's index lists a piece without a valid id or length");
        }
        return dto;
    }

    private void Read(byte[] piece)
    {
        if (!piece.AsSpan().StartsWith(ManifestPieces.Magic)) throw Bad("does not start as a manifest piece");
        int at = ManifestPieces.Magic.Length;
        var path = new byte[256];
        int pathLength = 0, entries = 0;
        long pathBytes = 0;
        long chunkSize = _index.ChunkSize;
        while (at < piece.Length)
        {
            if (++entries > MaxEntries) throw Bad($"has more than {MaxEntries} entries");
            byte tag = piece[at++];
            if (tag is not (ManifestPieces.FileTag or ManifestPieces.DirectoryTag)) throw Bad($"has an entry of unknown kind {tag}");
            long shared = Number(piece, ref at), rest = Number(piece, ref at);
            if (shared > pathLength || rest > piece.Length - at) throw Bad("has a path that does not fit");
            // Counted before the path is made: sharing prefixes, a small piece could spell huge paths.
            if ((pathBytes += shared + rest) > MaxPathBytes) throw Bad($"has more than {MaxPathBytes} bytes of paths");
            int length = (int)(shared + rest);
            if (length > path.Length) Array.Resize(ref path, Math.Max(length, path.Length * 2));
            Buffer.BlockCopy(piece, at, path, (int)shared, (int)rest);
            at += (int)rest;
            pathLength = length;
            string name;
            try
            {
                name = StrictUtf8.GetString(path, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw Bad("has a path that is not UTF-8");
            }
            if (tag == ManifestPieces.DirectoryTag)
            {
                _directories.Add(name);
                continue;
            }
            long size = Number(piece, ref at);
            if (piece.Length - at < 8) throw Bad($"ends inside the entry of '{name}'");
            long ticks = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(piece.AsSpan(at));
            at += 8;
            if (ticks < 0 || ticks > DateTime.MaxValue.Ticks) throw Bad($"gives '{name}' a time out of range");
            // The id count follows from the size; checked against what is left before anything is allocated.
            long count = size / chunkSize + (size % chunkSize == 0 ? 0 : 1);
            if (count > (piece.Length - at) / ChunkId.DigestBytes) throw Bad($"ends inside the chunk ids of '{name}'");
            var chunks = new ManifestChunk[count];
            for (int i = 0; i < count; i++)
            {
                long offset = i * chunkSize;
                chunks[i] = new ManifestChunk(offset, (int)Math.Min(chunkSize, size - offset), ChunkId.ToHex(piece.AsSpan(at, ChunkId.DigestBytes)));
                at += ChunkId.DigestBytes;
            }
            _files.Add(new ManifestFile(name, size, new DateTime(ticks, DateTimeKind.Utc), chunks));
        }
    }

    // LEB128, at most 63 bits: a size or a path length.
    private long Number(byte[] piece, ref int at)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            if (at >= piece.Length) throw Bad("ends inside a number");
            byte b = piece[at++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Bad("has a number out of range");
    }

    private InvalidManifestException Bad(string what) => new($"piece {_next} of the manifest {what}");
}
