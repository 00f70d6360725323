using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// Hashes many independent messages that lie in one buffer (a bundle's small files, back to back)
/// several at a time, one per SIMD lane. Each message still gets plain BLAKE2b of its own bytes.
/// Lanes are kept full: a message that ends leaves its lane to the next one, so messages of very
/// different lengths share passes.
/// </summary>
internal static class Blake2bBatch
{
    /// <summary>
    /// Writes the digest of <c>data.Slice(offsets[i], lengths[i])</c> to
    /// <c>digests.Slice(i * digestLength, digestLength)</c> for every i.
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int digestLength, Span<byte> digests)
    {
        if (offsets.Length != lengths.Length) throw new ArgumentException("Every message needs an offset and a length.", nameof(lengths));
        if (digests.Length < offsets.Length * digestLength) throw new ArgumentException("The output is shorter than the digests.", nameof(digests));
        for (int i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] < 0 || lengths[i] < 0 || (long)offsets[i] + lengths[i] > data.Length)
                throw new ArgumentOutOfRangeException(nameof(offsets), $"Message {i} does not lie inside the buffer.");
        }
#if NET8_0_OR_GREATER
        if (Blake2bLanes.Width > 1)
        {
            HashInLanes(data, offsets, lengths, digestLength, digests);
            return;
        }
#endif
        for (int i = 0; i < offsets.Length; i++) HashAlone(data.Slice(offsets[i], lengths[i]), digestLength, digests.Slice(i * digestLength, digestLength));
    }

    private static void HashAlone(ReadOnlySpan<byte> message, int digestLength, Span<byte> digest)
    {
        var hasher = new Blake2b(digestLength);
        hasher.Update(message);
        hasher.Finish(digest);
    }

#if NET8_0_OR_GREATER
    // Passes of two cost less than hashing both alone where one stream runs the scalar code (AMD
    // Zen 5, BatchHashingBenchmarks in bench/RESULTS.md), not where it runs the faster vector rows
    // (the Intel host's passes of two, ConcurrentLaneHasher). A message of a few blocks is not worth
    // a lane: each one that joins or leaves ends a pass.
    private static readonly int MinShared = OneStreamKernel.UsesRows ? 3 : 2;
    private const int MinLaneBlocks = 4;

    private sealed class Lane(int message, int offset, int blocks, Blake2b hasher)
    {
        public readonly int Message = message;
        public readonly Blake2b Hasher = hasher;
        public int Offset = offset;   // the next block to compress
        public int Blocks = blocks;   // blocks left before the final one
    }

    private static unsafe void HashInLanes(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int digestLength, Span<byte> digests)
    {
        int width = Blake2bLanes.Width;
        var lanes = new List<Lane>(width);
        var hashers = new List<Blake2b>(width);
        Span<long> laneOffsets = stackalloc long[width];
        // Longest first: the lanes then run short of messages only near the end, when what is left
        // of each is short, so little goes on alone after the last shared pass.
        var order = new int[offsets.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(lengths.ToArray(), order, Comparer<int>.Create((a, b) => b.CompareTo(a)));
        int next = 0;
        fixed (byte* p = data)
        {
            while (true)
            {
                while (lanes.Count < width && next < offsets.Length)
                {
                    int i = order[next++];
                    // The last block is the final one (compressed with its flag), even when whole.
                    int blocks = lengths[i] == 0 ? 0 : (lengths[i] - 1) / BlockBytes;
                    if (blocks < MinLaneBlocks) HashAlone(data.Slice(offsets[i], lengths[i]), digestLength, digests.Slice(i * digestLength, digestLength));
                    else lanes.Add(new Lane(i, offsets[i], blocks, new Blake2b(digestLength)));
                }
                if (lanes.Count == 0) return;
                if (lanes.Count < MinShared)
                {
                    // Too few left to share a pass: each goes on alone.
                    foreach (var lane in lanes) Finish(lane, data, offsets, lengths, digestLength, digests);
                    lanes.Clear();
                    continue;
                }

                int pass = int.MaxValue;
                hashers.Clear();
                for (int k = 0; k < lanes.Count; k++)
                {
                    pass = Math.Min(pass, lanes[k].Blocks);
                    hashers.Add(lanes[k].Hasher);
                    laneOffsets[k] = lanes[k].Offset;
                }
                Blake2bLanes.CompressInLanes(hashers, p, laneOffsets.Slice(0, lanes.Count), Blake2bLanes.KernelWidthFor(lanes.Count), pass);
                for (int k = lanes.Count - 1; k >= 0; k--)
                {
                    var lane = lanes[k];
                    lane.Offset += pass * BlockBytes;
                    lane.Blocks -= pass;
                    if (lane.Blocks > 0) continue;
                    Finish(lane, data, offsets, lengths, digestLength, digests);
                    lanes.RemoveAt(k);
                }
            }
        }
    }

    // What the lanes left of a message (its final block, or more when it goes on alone) and the digest.
    private static void Finish(Lane lane, ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int digestLength, Span<byte> digests)
    {
        int i = lane.Message;
        lane.Hasher.Update(data.Slice(lane.Offset, offsets[i] + lengths[i] - lane.Offset));
        lane.Hasher.Finish(digests.Slice(i * digestLength, digestLength));
    }
#endif
}
