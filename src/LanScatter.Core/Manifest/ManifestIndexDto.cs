namespace LanScatter.Core.Manifest;

// The JSON shape of a compact manifest's index (see ManifestPieces): what the whole holds and the
// id of every piece, so that a peer checks each piece it fetches against this one small document.

internal sealed class ManifestIndexDto
{
    public int Format { get; set; }
    public long ChunkSize { get; set; }
    public int Files { get; set; }
    public int EmptyDirectories { get; set; }
    public List<ManifestPieceDto>? Pieces { get; set; }
}

internal sealed class ManifestPieceDto
{
    public string? Id { get; set; }
    public long Bytes { get; set; }
}
