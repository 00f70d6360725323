#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// BLAKE2b compression of several independent streams at once, one stream per 64-bit SIMD lane
/// (4 lanes in AVX2, 8 in AVX-512). Each lane is plain BLAKE2b; only the arithmetic is shared.
/// Generic over the vector type so the JIT emits one specialised body per width.
/// </summary>
internal static class Blake2bLaneKernel
{
    /// <summary>
    /// Compresses <paramref name="blocks"/> consecutive non-final blocks for every lane.
    /// Lane k reads its blocks from <paramref name="data"/> at byte offset <c>index[k]</c> (any
    /// alignment: a bundle's files lie back to back at odd offsets); its
    /// chaining value is <c>state[k*8 .. k*8+7]</c> and its byte counter <c>counters[k]</c>.
    /// </summary>
    // Fully optimised from the first call: hashing is all hot loop, tier-0 code would run for seconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Compress<TOps, TVec>(ulong* state, ulong* counters, byte* data, Vector256<long> indexLo, Vector256<long> indexHi, int blocks)
        where TOps : struct, ILaneOps<TVec>
        where TVec : unmanaged
    {
        int w = TOps.Width;
        Span<ulong> column = stackalloc ulong[8];
        TVec h0 = Column<TOps, TVec>(state, 0, column), h1 = Column<TOps, TVec>(state, 1, column);
        TVec h2 = Column<TOps, TVec>(state, 2, column), h3 = Column<TOps, TVec>(state, 3, column);
        TVec h4 = Column<TOps, TVec>(state, 4, column), h5 = Column<TOps, TVec>(state, 5, column);
        TVec h6 = Column<TOps, TVec>(state, 6, column), h7 = Column<TOps, TVec>(state, 7, column);
        TVec t = TOps.Load(new ReadOnlySpan<ulong>(counters, w));
        TVec blockBytes = TOps.Broadcast(BlockBytes);
        Span<TVec> m = stackalloc TVec[16];

        for (int b = 0; b < blocks; b++)
        {
            byte* p = data + (long)b * BlockBytes;
            for (int j = 0; j < 16; j++) m[j] = TOps.Gather(p + j * 8, indexLo, indexHi);

            t = TOps.Add(t, blockBytes);
            TVec v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            TVec v8 = TOps.Broadcast(IV0), v9 = TOps.Broadcast(IV1), v10 = TOps.Broadcast(IV2), v11 = TOps.Broadcast(IV3);
            // Counters stay below 2^64 here (the caller checks), so the high word is IV5 unchanged.
            TVec v12 = TOps.Xor(TOps.Broadcast(IV4), t), v13 = TOps.Broadcast(IV5), v14 = TOps.Broadcast(IV6), v15 = TOps.Broadcast(IV7);

            // A loop over rounds keeps the body small enough for the JIT to inline every vector op.
            for (int r = 0; r < Rounds; r++)
            {
                ReadOnlySpan<byte> s = Sigma.Slice(r * 16, 16);
                G<TOps, TVec>(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
                G<TOps, TVec>(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
                G<TOps, TVec>(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
                G<TOps, TVec>(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
                G<TOps, TVec>(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
                G<TOps, TVec>(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
                G<TOps, TVec>(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
                G<TOps, TVec>(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
            }

            h0 = TOps.Xor(h0, TOps.Xor(v0, v8)); h1 = TOps.Xor(h1, TOps.Xor(v1, v9));
            h2 = TOps.Xor(h2, TOps.Xor(v2, v10)); h3 = TOps.Xor(h3, TOps.Xor(v3, v11));
            h4 = TOps.Xor(h4, TOps.Xor(v4, v12)); h5 = TOps.Xor(h5, TOps.Xor(v5, v13));
            h6 = TOps.Xor(h6, TOps.Xor(v6, v14)); h7 = TOps.Xor(h7, TOps.Xor(v7, v15));
        }

        StoreColumn<TOps, TVec>(h0, state, 0, column); StoreColumn<TOps, TVec>(h1, state, 1, column);
        StoreColumn<TOps, TVec>(h2, state, 2, column); StoreColumn<TOps, TVec>(h3, state, 3, column);
        StoreColumn<TOps, TVec>(h4, state, 4, column); StoreColumn<TOps, TVec>(h5, state, 5, column);
        StoreColumn<TOps, TVec>(h6, state, 6, column); StoreColumn<TOps, TVec>(h7, state, 7, column);
        TOps.Store(t, new Span<ulong>(counters, w));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<TOps, TVec>(ref TVec a, ref TVec b, ref TVec c, ref TVec d, TVec x, TVec y)
        where TOps : struct, ILaneOps<TVec> where TVec : unmanaged
    {
        a = TOps.Add(TOps.Add(a, b), x);
        d = TOps.RotateRight32(TOps.Xor(d, a));
        c = TOps.Add(c, d);
        b = TOps.RotateRight24(TOps.Xor(b, c));
        a = TOps.Add(TOps.Add(a, b), y);
        d = TOps.RotateRight16(TOps.Xor(d, a));
        c = TOps.Add(c, d);
        b = TOps.RotateRight63(TOps.Xor(b, c));
    }

    // State is lane-major (8 words per lane); vectors hold word i of every lane.
    private static unsafe TVec Column<TOps, TVec>(ulong* state, int word, Span<ulong> column)
        where TOps : struct, ILaneOps<TVec> where TVec : unmanaged
    {
        for (int k = 0; k < TOps.Width; k++) column[k] = state[k * 8 + word];
        return TOps.Load(column);
    }

    private static unsafe void StoreColumn<TOps, TVec>(TVec v, ulong* state, int word, Span<ulong> column)
        where TOps : struct, ILaneOps<TVec> where TVec : unmanaged
    {
        TOps.Store(v, column);
        for (int k = 0; k < TOps.Width; k++) state[k * 8 + word] = column[k];
    }
}
#endif
