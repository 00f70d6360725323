using System.Buffers.Binary;
using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// Incremental BLAKE2b (RFC 7693) with any digest length from 1 to 64 bytes and an optional key.
/// Feed data with <see cref="Update"/> in pieces of any size, then call <see cref="Finish(Span{byte})"/> once.
/// </summary>
public sealed class Blake2b
{
    // The last block seen is held back until more data arrives, because only the final block is
    // compressed with the "last" flag and we cannot know a block is final until Finish.
    internal readonly ulong[] H = new ulong[8];
    internal readonly byte[] Buffer = new byte[BlockBytes];
    internal int Buffered;
    internal ulong T0;
    internal ulong T1;
    private bool _finished;

    /// <summary>Starts a hash with the given digest length in bytes (default 32, i.e. BLAKE2b-256).</summary>
    public Blake2b(int digestLength = 32) : this(digestLength, ReadOnlySpan<byte>.Empty) { }

    /// <summary>Starts a keyed hash (MAC); an empty key gives the unkeyed hash.</summary>
    public Blake2b(int digestLength, ReadOnlySpan<byte> key)
    {
        if (digestLength < 1 || digestLength > MaxDigestBytes)
            throw new ArgumentOutOfRangeException(nameof(digestLength), digestLength, "BLAKE2b digests are 1 to 64 bytes long.");
        if (key.Length > MaxKeyBytes)
            throw new ArgumentOutOfRangeException(nameof(key), key.Length, "BLAKE2b keys are at most 64 bytes long.");
        DigestLength = digestLength;
        H[0] = IV0 ^ 0x01010000UL ^ ((ulong)key.Length << 8) ^ (ulong)digestLength;
        H[1] = IV1; H[2] = IV2; H[3] = IV3; H[4] = IV4; H[5] = IV5; H[6] = IV6; H[7] = IV7;
        if (key.Length > 0)
        {
            key.CopyTo(Buffer);
            Buffered = BlockBytes; // the zero-padded key is a full first block
        }
    }

    /// <summary>Digest length in bytes.</summary>
    public int DigestLength { get; }

    /// <summary>One-shot hash of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data, int digestLength = 32)
    {
        var hasher = new Blake2b(digestLength);
        hasher.Update(data);
        return hasher.Finish();
    }

    /// <summary>Adds bytes to the hash.</summary>
    public void Update(ReadOnlySpan<byte> data)
    {
        if (_finished) throw new InvalidOperationException("This hash is already finished.");
        if (data.IsEmpty) return;

        int room = BlockBytes - Buffered;
        if (data.Length <= room)
        {
            data.CopyTo(Buffer.AsSpan(Buffered));
            Buffered += data.Length;
            return;
        }

        // Fill and compress the held block: more data follows, so it is not the last one.
        data.Slice(0, room).CopyTo(Buffer.AsSpan(Buffered));
        data = data.Slice(room);
        CompressNotLast(Buffer);

        // Compress whole blocks straight from the input, keeping at least one byte back.
        int whole = (data.Length - 1) / BlockBytes * BlockBytes;
        CompressNotLast(data.Slice(0, whole));
        data = data.Slice(whole);
        data.CopyTo(Buffer);
        Buffered = data.Length;
    }

    /// <summary>Finishes the hash into <paramref name="output"/> (at least <see cref="DigestLength"/> bytes).</summary>
    public void Finish(Span<byte> output)
    {
        if (_finished) throw new InvalidOperationException("This hash is already finished.");
        if (output.Length < DigestLength) throw new ArgumentException("The output is shorter than the digest.", nameof(output));
        _finished = true;
        Buffer.AsSpan(Buffered).Clear();
        AddToCounter((ulong)Buffered);
#if NET8_0_OR_GREATER
        if (OneStreamKernel.UsesRows) Blake2bRows.CompressFinal(H, Buffer, T0, T1);
        else
#endif
        Blake2bScalar.Compress(H, Buffer, T0, T1, last: true);

        Span<byte> full = stackalloc byte[MaxDigestBytes];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(full.Slice(i * 8), H[i]);
        full.Slice(0, DigestLength).CopyTo(output);
    }

    /// <summary>Finishes the hash and returns the digest.</summary>
    public byte[] Finish()
    {
        var digest = new byte[DigestLength];
        Finish(digest);
        return digest;
    }

    // Whole blocks known not to be the last, each counted; in SIMD rows where those are faster here.
    private void CompressNotLast(ReadOnlySpan<byte> blocks)
    {
#if NET8_0_OR_GREATER
        if (OneStreamKernel.UsesRows)
        {
            Blake2bRows.Compress(H, blocks, ref T0, ref T1);
            return;
        }
#endif
        for (int i = 0; i < blocks.Length; i += BlockBytes)
        {
            AddToCounter(BlockBytes);
            Blake2bScalar.Compress(H, blocks.Slice(i, BlockBytes), T0, T1, last: false);
        }
    }

    private void AddToCounter(ulong bytes)
    {
        T0 += bytes;
        if (T0 < bytes) T1++;
    }

    /// <summary>Marks a held full block as compressed by a multi-lane pass (see <see cref="Blake2bLanes"/>).</summary>
    internal void AdvanceAfterLaneCompress(ulong bytes)
    {
        AddToCounter(bytes);
        Buffered = 0;
    }

    /// <summary>Compresses whole blocks that are known not to be the last (nothing may be held back).</summary>
    internal void CompressWholeBlocks(ReadOnlySpan<byte> blocks)
    {
        if (Buffered != 0 || blocks.Length % BlockBytes != 0) throw new InvalidOperationException("Only whole blocks, with nothing held back.");
        CompressNotLast(blocks);
    }

    internal bool IsFinished => _finished;
}
