#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LanScatter.Core.Hashing;

/// <summary>Four lanes with AVX2; uses AVX-512VL's native rotate where the CPU has it.</summary>
internal struct Avx2LaneOps : ILaneOps<Vector256<ulong>>
{
    private static readonly Vector256<byte> Rot24 = Vector256.Create(
        (byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
        3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    private static readonly Vector256<byte> Rot16 = Vector256.Create(
        (byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
        2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);

    public static int Width => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Add(Vector256<ulong> a, Vector256<ulong> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Xor(Vector256<ulong> a, Vector256<ulong> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RotateRight32(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 32) : Avx2.Shuffle(x.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RotateRight24(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 24) : Avx2.Shuffle(x.AsByte(), Rot24).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RotateRight16(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 16) : Avx2.Shuffle(x.AsByte(), Rot16).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> RotateRight63(Vector256<ulong> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 63) : Avx2.Or(Avx2.ShiftRightLogical(x, 63), Avx2.Add(x, x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Broadcast(ulong x) => Vector256.Create(x);

    public static Vector256<ulong> Load(ReadOnlySpan<ulong> lanes) => Vector256.Create(lanes);

    public static void Store(Vector256<ulong> v, Span<ulong> lanes) => v.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<ulong> Gather(byte* p, Vector256<long> indexLo, Vector256<long> indexHi) =>
        Avx2.GatherVector256((ulong*)p, indexLo, 1);
}

/// <summary>Eight lanes with AVX-512F.</summary>
internal struct Avx512LaneOps : ILaneOps<Vector512<ulong>>
{
    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Add(Vector512<ulong> a, Vector512<ulong> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Xor(Vector512<ulong> a, Vector512<ulong> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RotateRight32(Vector512<ulong> x) => Avx512F.RotateRight(x, 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RotateRight24(Vector512<ulong> x) => Avx512F.RotateRight(x, 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RotateRight16(Vector512<ulong> x) => Avx512F.RotateRight(x, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> RotateRight63(Vector512<ulong> x) => Avx512F.RotateRight(x, 63);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Broadcast(ulong x) => Vector512.Create(x);

    public static Vector512<ulong> Load(ReadOnlySpan<ulong> lanes) => Vector512.Create(lanes);

    public static void Store(Vector512<ulong> v, Span<ulong> lanes) => v.CopyTo(lanes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<ulong> Gather(byte* p, Vector256<long> indexLo, Vector256<long> indexHi) =>
        Vector512.Create(Avx2.GatherVector256((ulong*)p, indexLo, 1), Avx2.GatherVector256((ulong*)p, indexHi, 1));
}
#endif
