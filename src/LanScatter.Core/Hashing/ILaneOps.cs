#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;

namespace LanScatter.Core.Hashing;

/// <summary>The few vector operations BLAKE2b needs, one implementation per SIMD width.</summary>
internal interface ILaneOps<TVec> where TVec : unmanaged
{
    static abstract int Width { get; }
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Xor(TVec a, TVec b);
    static abstract TVec RotateRight32(TVec x);
    static abstract TVec RotateRight24(TVec x);
    static abstract TVec RotateRight16(TVec x);
    static abstract TVec RotateRight63(TVec x);
    static abstract TVec Broadcast(ulong x);
    static abstract TVec Load(ReadOnlySpan<ulong> lanes);
    static abstract void Store(TVec v, Span<ulong> lanes);

    /// <summary>The word at byte <c>p + index[k]</c> for each lane k; lanes 4..7 use <paramref name="indexHi"/>.</summary>
    static abstract unsafe TVec Gather(byte* p, Vector256<long> indexLo, Vector256<long> indexHi);
}
#endif
