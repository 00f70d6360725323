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
public static class Blake2bLanes
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
        if (length == 0 || length % BlockBytes != 0 || stride % 8 != 0) return false;
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
        int w = Width, n = hashers.Count;
        ulong* state = stackalloc ulong[w * 8];
        ulong* counters = stackalloc ulong[w];
        // Unused lanes repeat the last real lane; their results are thrown away.
        for (int k = 0; k < w; k++)
        {
            var h = hashers[Math.Min(k, n - 1)];
            for (int j = 0; j < 8; j++) state[k * 8 + j] = h.H[j];
            counters[k] = h.T0;
        }

        // A held full block comes first: copy the lanes' held blocks side by side and compress them.
        if (hashers[0].Buffered == BlockBytes)
        {
            ulong* held = stackalloc ulong[w * 16];
            for (int k = 0; k < w; k++)
                hashers[Math.Min(k, n - 1)].Buffer.AsSpan().CopyTo(new Span<byte>(held + k * 16, BlockBytes));
            Compress(state, counters, held, LaneIndex(w, 16), w, 1);
        }

        // Hold back the last block of the input: it may turn out to be the final one.
        int blocks = length / BlockBytes - 1;
        fixed (byte* p = data)
        {
            if (blocks > 0) Compress(state, counters, (ulong*)p, LaneIndex(w, stride / 8), w, blocks);
        }

        for (int i = 0; i < n; i++)
        {
            var h = hashers[i];
            for (int j = 0; j < 8; j++) h.H[j] = state[i * 8 + j];
            h.AdvanceAfterLaneCompress(counters[i] - h.T0);
            data.Slice(i * stride + length - BlockBytes, BlockBytes).CopyTo(h.Buffer);
            h.Buffered = BlockBytes;
        }

        // Lane k of n real lanes reads at k*strideWords; padding lanes reuse the last real one.
        (Vector256<long> Lo, Vector256<long> Hi) LaneIndex(int width, int strideWords)
        {
            Span<long> idx = stackalloc long[8];
            for (int k = 0; k < 8; k++) idx[k] = (long)Math.Min(k, n - 1) * strideWords;
            return (Vector256.Create<long>(idx.Slice(0, 4)), Vector256.Create<long>(idx.Slice(4, 4)));
        }
    }

    /// <summary>Compresses <paramref name="blocks"/> non-final blocks in each of <paramref name="width"/> (4 or 8) lanes.</summary>
    internal static unsafe void Compress(ulong* state, ulong* counters, ulong* data, (Vector256<long> Lo, Vector256<long> Hi) index, int width, int blocks)
    {
        if (width == 8)
            Blake2bLaneKernel.Compress<Avx512LaneOps, Vector512<ulong>>(state, counters, data, index.Lo, index.Hi, blocks);
        else
            Blake2bLaneKernel.Compress<Avx2LaneOps, Vector256<ulong>>(state, counters, data, index.Lo, index.Hi, blocks);
    }
#endif
}
