#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// Feeds several <see cref="Blake2b"/> hashers at once, one per SIMD lane, so hashing many chunks
/// costs far less CPU than hashing them one after another. Every hasher still computes plain
/// BLAKE2b of its own input; results equal calling <see cref="Blake2b.Update"/> on each.
/// </summary>
internal static class Blake2bLanes
{
    /// <summary>How many streams one pass hashes together on this CPU (8, 4, or 1 without SIMD).</summary>
    public static int Width { get; } = DetectWidth();

    private static int DetectWidth()
    {
#if NET8_0_OR_GREATER
        if (Avx512F.IsSupported && Avx2.IsSupported) return 8;
        if (Avx2.IsSupported) return 4;
#endif
        return 1;
    }

    /// <summary>
    /// Equivalent to <c>hashers[i].Update(data.Slice(i * stride, length))</c> for every i.
    /// </summary>
    public static void Update(IReadOnlyList<Blake2b> hashers, ReadOnlySpan<byte> data, int stride, int length)
    {
        if (hashers is null) throw new ArgumentNullException(nameof(hashers));
        if (length < 0 || stride < length) throw new ArgumentOutOfRangeException(nameof(stride), "Each lane's input must fit inside its stride.");
        if (hashers.Count > 0 && (long)(hashers.Count - 1) * stride + length > data.Length)
            throw new ArgumentException("The buffer is shorter than the lanes it should hold.", nameof(data));

#if NET8_0_OR_GREATER
        if (CanUseLanes(hashers, stride, length))
        {
            UpdateLanes(hashers, data, stride, length);
            return;
        }
#endif
        for (int i = 0; i < hashers.Count; i++) hashers[i].Update(data.Slice(i * stride, length));
    }

#if NET8_0_OR_GREATER
    // The lane path handles whole blocks at block-aligned positions; anything else goes one by one.
    private static bool CanUseLanes(IReadOnlyList<Blake2b> hashers, int stride, int length)
    {
        if (Width == 1 || hashers.Count < 2 || hashers.Count > Width) return false;
        if (length == 0 || length % BlockBytes != 0) return false;
        int buffered = hashers[0].Buffered;
        if (buffered != 0 && buffered != BlockBytes) return false;
        foreach (var h in hashers)
        {
            if (h.Buffered != buffered || h.IsFinished || h.T1 != 0 || h.T0 > ulong.MaxValue / 2) return false;
        }
        return true;
    }

    private static unsafe void UpdateLanes(IReadOnlyList<Blake2b> hashers, ReadOnlySpan<byte> data, int stride, int length)
    {
        int n = hashers.Count;
        Span<long> offsets = stackalloc long[n];

        // A held full block comes first: copy the lanes' held blocks side by side and compress them.
        if (hashers[0].Buffered == BlockBytes)
        {
            ulong* held = stackalloc ulong[n * 16];
            for (int i = 0; i < n; i++)
            {
                hashers[i].Buffer.AsSpan().CopyTo(new Span<byte>(held + i * 16, BlockBytes));
                offsets[i] = i * BlockBytes;
            }
            CompressInLanes(hashers, (byte*)held, offsets, Width, 1);
        }

        // Hold back the last block of the input: it may turn out to be the final one.
        int blocks = length / BlockBytes - 1;
        if (blocks > 0)
        {
            for (int i = 0; i < n; i++) offsets[i] = (long)i * stride;
            fixed (byte* p = data) CompressInLanes(hashers, p, offsets, Width, blocks);
        }

        for (int i = 0; i < n; i++)
        {
            data.Slice(i * stride + length - BlockBytes, BlockBytes).CopyTo(hashers[i].Buffer);
            hashers[i].Buffered = BlockBytes;
        }
    }

    /// <summary>
    /// The kernel for a pass of this many lanes: four or fewer take the 4-wide one, which does the
    /// same work in half the vector width.
    /// </summary>
    internal static int KernelWidthFor(int lanes) => lanes <= 4 && Avx2.IsSupported ? 4 : Width;

    /// <summary>
    /// One SIMD pass of <paramref name="blocks"/> consecutive non-final blocks for every hasher
    /// (at most <paramref name="width"/>, 4 or 8): hasher i reads from <paramref name="data"/> at byte
    /// offset <paramref name="byteOffsets"/>[i]; each hasher's chaining value and counter move on.
    /// Nothing may be held back in the hashers, and their counters must be below 2^63.
    /// </summary>
    internal static unsafe void CompressInLanes(IReadOnlyList<Blake2b> hashers, byte* data, ReadOnlySpan<long> byteOffsets, int width, int blocks)
    {
        int n = hashers.Count;
        ulong* state = stackalloc ulong[width * 8];
        ulong* counters = stackalloc ulong[width];
        Span<long> index = stackalloc long[8];
        // Lanes past the real ones repeat the last of them; their results are thrown away.
        for (int k = 0; k < 8; k++)
        {
            int i = Math.Min(k, n - 1);
            index[k] = byteOffsets[i];
            if (k >= width) continue;
            for (int j = 0; j < 8; j++) state[k * 8 + j] = hashers[i].H[j];
            counters[k] = hashers[i].T0;
        }
        Compress(state, counters, data, (Vector256.Create<long>(index.Slice(0, 4)), Vector256.Create<long>(index.Slice(4, 4))), width, blocks);
        for (int i = 0; i < n; i++)
        {
            var h = hashers[i];
            for (int j = 0; j < 8; j++) h.H[j] = state[i * 8 + j];
            h.AdvanceAfterLaneCompress((ulong)blocks * BlockBytes);
        }
    }

    private static unsafe void Compress(ulong* state, ulong* counters, byte* data, (Vector256<long> Lo, Vector256<long> Hi) index, int width, int blocks)
    {
        if (width == 8)
            Blake2bLaneKernel.Compress<Avx512LaneOps, Vector512<ulong>>(state, counters, data, index.Lo, index.Hi, blocks);
        else
            Blake2bLaneKernel.Compress<Avx2LaneOps, Vector256<ulong>>(state, counters, data, index.Lo, index.Hi, blocks);
    }
#endif
}
