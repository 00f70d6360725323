using System.Text.Json;

namespace LanScatter.Core.Manifest;

/// <summary>Reads and writes manifests as JSON (format <see cref="FolderManifest.CurrentFormat"/>).</summary>
public static class ManifestJson
{
    private static readonly ManifestJsonContext Indented = new(new JsonSerializerOptions(ManifestJsonContext.Default.Options) { WriteIndented = true });

    public static string Serialize(FolderManifest manifest, bool indented = false)
    {
        var dto = ToDto(manifest);
        return JsonSerializer.Serialize(dto, indented ? Indented.ManifestDto : ManifestJsonContext.Default.ManifestDto);
    }

    /// <summary>The same text as <see cref="Serialize(FolderManifest, bool)"/>, as UTF-8 (half the memory of a string).</summary>
    public static byte[] SerializeToUtf8(FolderManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDto(manifest), ManifestJsonContext.Default.ManifestDto);

    public static void Serialize(FolderManifest manifest, Stream output, bool indented = false)
    {
        JsonSerializer.Serialize(output, ToDto(manifest), indented ? Indented.ManifestDto : ManifestJsonContext.Default.ManifestDto);
    }

    /// <summary>Parses and validates a manifest; anything wrong is an <see cref="InvalidManifestException"/>.</summary>
    public static FolderManifest Deserialize(string? json)
    {
        // A message's manifest field can be null whatever its declared type: found by fuzzing.
        if (json is null) throw new InvalidManifestException("the manifest is missing");
        return Parse(() => JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ManifestDto));
    }

    /// <summary>The same from UTF-8 as it came over HTTP (a manifest of hundreds of MB is not turned into text first).</summary>
    public static FolderManifest Deserialize(byte[] utf8) =>
        Parse(() => JsonSerializer.Deserialize(utf8, ManifestJsonContext.Default.ManifestDto));

    private static FolderManifest Parse(Func<ManifestDto?> read)
    {
        ManifestDto? dto;
        try
        {
            dto = read();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidManifestException($"the manifest is not valid JSON ({ex.Message})", ex);
        }
        return FromDto(dto);
    }

    private static ManifestDto ToDto(FolderManifest manifest) => new()
    {
        Format = FolderManifest.CurrentFormat,
        ChunkSize = manifest.ChunkSize,
        Files = manifest.Files.Select(f => new ManifestFileDto
        {
            Path = f.Path,
            Size = f.Size,
            Modified = f.ModifiedUtc,
            Chunks = f.Chunks.Select(c => new ManifestChunkDto { Offset = c.Offset, Length = c.Length, Id = c.Id }).ToList(),
        }).ToList(),
        EmptyDirectories = manifest.EmptyDirectories.ToList(),
    };

    private static FolderManifest FromDto(ManifestDto? dto)
    {
        if (dto is null) throw new InvalidManifestException("the manifest is empty (JSON null)");
        if (dto.Format != FolderManifest.CurrentFormat)
            throw new InvalidManifestException(dto.Format > FolderManifest.CurrentFormat
                ? $"the manifest has format {dto.Format}, newer than this LanScatter understands ({FolderManifest.CurrentFormat}); upgrade LanScatter"
                : $"the manifest has format {dto.Format}; this LanScatter reads format {FolderManifest.CurrentFormat}");
        if (dto.Files is null) throw new InvalidManifestException("the manifest has no 'files' list");

        var files = new List<ManifestFile>(dto.Files.Count);
        foreach (var f in dto.Files)
        {
            if (f is null) throw new InvalidManifestException("the manifest has a null file entry");
            if (f.Chunks is null) throw new InvalidManifestException($"file '{f.Path}' has no 'chunks' list");
            var chunks = new List<ManifestChunk>(f.Chunks.Count);
            foreach (var c in f.Chunks)
            {
                if (c is null) throw new InvalidManifestException($"file '{f.Path}' has a null chunk");
                if (c.Length > int.MaxValue || c.Length < 0)
                    throw new InvalidManifestException($"file '{f.Path}' has a chunk of length {c.Length}");
                chunks.Add(new ManifestChunk(c.Offset, (int)c.Length, c.Id ?? ""));
            }
            files.Add(new ManifestFile(f.Path ?? "", f.Size, f.Modified.ToUniversalTime(), chunks));
        }
        var dirs = dto.EmptyDirectories ?? new List<string>();
        if (dirs.Any(d => d is null)) throw new InvalidManifestException("the manifest has a null folder entry");
        var manifest = new FolderManifest(dto.ChunkSize, files, dirs);
        ManifestValidator.Validate(manifest);
        return manifest;
    }
}
