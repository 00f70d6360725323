#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// The BLAKE2b compression function (RFC 7693 §3.2) for one stream with AVX2: the 4×4 state as four
/// rows of a 256-bit register each, so one vector G mixes all four columns at once; the rows are
/// rotated (Permute4x64) so the next G mixes the diagonals, and back. For the bytes no other stream
/// shares a SIMD pass with (<see cref="Blake2bLanes"/>): scalar code ran at ~550 MB/s and was most of
/// a receiving peer's CPU on a fast link. Message words are picked per round from the schedule of
/// §2.7 as constant offsets (written out; a loop over the table costs a load per index).
/// </summary>
internal static unsafe class Blake2bRows
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Compresses whole blocks that are not the last into <paramref name="h"/>, counting each in the byte counter.</summary>
    public static void Compress(Span<ulong> h, ReadOnlySpan<byte> blocks, ref ulong t0, ref ulong t1)
    {
        if (h.Length < 8 || blocks.Length % BlockBytes != 0) throw new ArgumentException("Whole blocks and an 8-word state.");
        if (blocks.IsEmpty) return;
        fixed (ulong* hp = h)
        fixed (byte* bp = blocks)
        {
            Core(hp, bp, blocks.Length / BlockBytes, ref t0, ref t1, final: false);
        }
    }

    /// <summary>Compresses the final block; the counter already holds every byte hashed, this block's included.</summary>
    public static void CompressFinal(Span<ulong> h, ReadOnlySpan<byte> block, ulong t0, ulong t1)
    {
        if (h.Length < 8 || block.Length < BlockBytes) throw new ArgumentException("A whole block and an 8-word state.");
        fixed (ulong* hp = h)
        fixed (byte* bp = block)
        {
            Core(hp, bp, 1, ref t0, ref t1, final: true);
        }
    }

    // Non-final blocks advance the counter by a block each before they are compressed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Core(ulong* hp, byte* bp, int count, ref ulong t0, ref ulong t1, bool final)
    {
        var row1 = Avx.LoadVector256(hp);
        var row2 = Avx.LoadVector256(hp + 4);
        var iv = Vector256.Create(IV0, IV1, IV2, IV3);
        for (int n = 0; n < count; n++)
        {
            if (!final)
            {
                t0 += BlockBytes;
                if (t0 < BlockBytes) t1++;
            }
            var m = (ulong*)(bp + n * BlockBytes);
            var a = row1;
            var b = row2;
            var c = iv;
            var d = Vector256.Create(IV4 ^ t0, IV5 ^ t1, final ? ~IV6 : IV6, IV7);
            // round 0
            a += b + Vector256.Create(m[0], m[2], m[4], m[6]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[1], m[3], m[5], m[7]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[8], m[10], m[12], m[14]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[9], m[11], m[13], m[15]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 1
            a += b + Vector256.Create(m[14], m[4], m[9], m[13]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[10], m[8], m[15], m[6]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[1], m[0], m[11], m[5]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[12], m[2], m[7], m[3]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 2
            a += b + Vector256.Create(m[11], m[12], m[5], m[15]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[8], m[0], m[2], m[13]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[10], m[3], m[7], m[9]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[14], m[6], m[1], m[4]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 3
            a += b + Vector256.Create(m[7], m[3], m[13], m[11]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[9], m[1], m[12], m[14]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[2], m[5], m[4], m[15]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[6], m[10], m[0], m[8]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 4
            a += b + Vector256.Create(m[9], m[5], m[2], m[10]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[0], m[7], m[4], m[15]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[14], m[11], m[6], m[3]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[1], m[12], m[8], m[13]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 5
            a += b + Vector256.Create(m[2], m[6], m[0], m[8]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[12], m[10], m[11], m[3]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[4], m[7], m[15], m[1]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[13], m[5], m[14], m[9]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 6
            a += b + Vector256.Create(m[12], m[1], m[14], m[4]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[5], m[15], m[13], m[10]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[0], m[6], m[9], m[8]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[7], m[3], m[2], m[11]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 7
            a += b + Vector256.Create(m[13], m[7], m[12], m[3]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[11], m[14], m[1], m[9]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[5], m[15], m[8], m[2]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[0], m[4], m[6], m[10]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 8
            a += b + Vector256.Create(m[6], m[14], m[11], m[0]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[15], m[9], m[3], m[8]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[12], m[13], m[1], m[10]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[2], m[7], m[4], m[5]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 9
            a += b + Vector256.Create(m[10], m[8], m[7], m[1]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[2], m[4], m[6], m[5]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[15], m[9], m[3], m[13]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[11], m[14], m[12], m[0]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 10
            a += b + Vector256.Create(m[0], m[2], m[4], m[6]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[1], m[3], m[5], m[7]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[8], m[10], m[12], m[14]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[9], m[11], m[13], m[15]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            // round 11
            a += b + Vector256.Create(m[14], m[4], m[9], m[13]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[10], m[8], m[15], m[6]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x39); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x93);
            a += b + Vector256.Create(m[1], m[0], m[11], m[5]); d = R32(d ^ a); c += d; b = R24(b ^ c);
            a += b + Vector256.Create(m[12], m[2], m[7], m[3]); d = R16(d ^ a); c += d; b = R63(b ^ c);
            b = Avx2.Permute4x64(b, 0x93); c = Avx2.Permute4x64(c, 0x4E); d = Avx2.Permute4x64(d, 0x39);
            row1 ^= a ^ c;
            row2 ^= b ^ d;
        }
        Avx.Store(hp, row1);
        Avx.Store(hp + 4, row2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> R32(Vector256<ulong> x) => Avx2LaneOps.RotateRight32(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> R24(Vector256<ulong> x) => Avx2LaneOps.RotateRight24(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> R16(Vector256<ulong> x) => Avx2LaneOps.RotateRight16(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> R63(Vector256<ulong> x) => Avx2LaneOps.RotateRight63(x);
}
#endif
