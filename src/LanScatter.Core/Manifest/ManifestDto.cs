namespace LanScatter.Core.Manifest;

// The JSON shape of a manifest. Kept apart from the model so the wire format is explicit and
// everything read from it passes through ManifestValidator before use.

internal sealed class ManifestDto
{
    public int Format { get; set; }
    public long ChunkSize { get; set; }
    public List<ManifestFileDto>? Files { get; set; }
    public List<string>? EmptyDirectories { get; set; }
}

internal sealed class ManifestFileDto
{
    public string? Path { get; set; }
    public long Size { get; set; }
    public DateTime Modified { get; set; }
    public List<ManifestChunkDto>? Chunks { get; set; }
}

internal sealed class ManifestChunkDto
{
    public long Offset { get; set; }
    public long Length { get; set; }
    public string? Id { get; set; }
}
