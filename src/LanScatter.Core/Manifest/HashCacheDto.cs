namespace LanScatter.Core.Manifest;

internal sealed class HashCacheDto
{
    public int Format { get; set; }
    public List<HashCacheEntryDto>? Files { get; set; }
}

internal sealed class HashCacheEntryDto
{
    public string? Path { get; set; }
    public long Size { get; set; }
    public long ModifiedTicks { get; set; }
    public long ChunkSize { get; set; }
    public List<string>? Ids { get; set; }
}
