namespace LanScatter.Core.Manifest;

/// <summary>
/// A manifest in its compact form (<see cref="ManifestPieces"/>): a small JSON index naming its
/// pieces by id, and the pieces. The index's id stands for the whole manifest.
/// </summary>
internal sealed class EncodedManifest
{
    public EncodedManifest(byte[] index, IReadOnlyList<byte[]> pieces, IReadOnlyList<string> pieceIds)
    {
        Index = index;
        Pieces = pieces;
        PieceIds = pieceIds;
        Digest = ChunkId.Of(index);
        var byId = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < pieces.Count; i++) byId[pieceIds[i]] = pieces[i];
        PiecesById = byId;
    }

    public byte[] Index { get; }
    public IReadOnlyList<byte[]> Pieces { get; }

    /// <summary>The id of each piece, in the order of <see cref="Pieces"/> (as the index lists them).</summary>
    public IReadOnlyList<string> PieceIds { get; }

    public IReadOnlyDictionary<string, byte[]> PiecesById { get; }

    /// <summary>The id of <see cref="Index"/>: equal digests, equal manifests.</summary>
    public string Digest { get; }

    /// <summary>Index and pieces together: what a peer fetches.</summary>
    public long Bytes => Index.Length + Pieces.Sum(p => (long)p.Length);
}
