namespace LanScatter.Core.Storage;

/// <summary>
/// Every place (file, chunk index) of one chunk id in the manifest a peer follows, and how many of
/// them hold verified bytes: "is this chunk held" and "how many chunks are held" are asked every
/// second and for every upload, and must not cost a walk over a million places.
/// Guarded by <see cref="PeerFolder"/>'s lock.
/// </summary>
internal sealed class ChunkPlaces : List<(int File, int Chunk)>
{
    public int Verified { get; set; }

    public bool Held => Verified > 0;
}
