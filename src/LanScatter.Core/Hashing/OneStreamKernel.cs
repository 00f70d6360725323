#if NET8_0_OR_GREATER
using System.Diagnostics;

namespace LanScatter.Core.Hashing;

/// <summary>
/// Which compression one stream goes through: the vector rows (<see cref="Blake2bRows"/>) or the
/// scalar code, whichever this CPU runs faster, timed once per process. One stream is a chain of
/// dependent operations, so the rows win where vector operations have a short latency (1.7× the
/// scalar code on the Intel host of bench/RESULTS.md) and lose where they do not (0.5× on AMD Zen 5,
/// where the scalar code's four independent columns keep more units busy). No CPU flag tells the two
/// apart; timing both on the same blocks does, in well under a millisecond.
/// </summary>
internal static class OneStreamKernel
{
    /// <summary>True when one stream is compressed in vector rows.</summary>
    public static readonly bool UsesRows = Blake2bRows.IsSupported && RowsAreFaster();

    private const int Blocks = 128;
    private const int Rounds = 5;

    private static bool RowsAreFaster()
    {
        var data = new byte[Blocks * Blake2bConstants.BlockBytes];
        new Random(1).NextBytes(data);
        var h = new ulong[8];
        return FasterIsFirst(() => TimeRows(h, data), () => TimeScalar(h, data));
    }

    /// <summary>
    /// Whether the first of two timed kernels is the faster: the best of several alternated runs
    /// decides, so neither a first run that includes compiling nor a thread switched out during one
    /// run sways it.
    /// </summary>
    internal static bool FasterIsFirst(Func<long> first, Func<long> second)
    {
        long a = long.MaxValue, b = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            a = Math.Min(a, first());
            b = Math.Min(b, second());
        }
        return a < b;
    }

    private static long TimeRows(ulong[] h, byte[] data)
    {
        ulong t0 = 0, t1 = 0;
        long start = Stopwatch.GetTimestamp();
        Blake2bRows.Compress(h, data, ref t0, ref t1);
        return Stopwatch.GetTimestamp() - start;
    }

    private static long TimeScalar(ulong[] h, byte[] data)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < data.Length; i += Blake2bConstants.BlockBytes)
            Blake2bScalar.Compress(h, data.AsSpan(i, Blake2bConstants.BlockBytes), (ulong)i, 0, last: false);
        return Stopwatch.GetTimestamp() - start;
    }
}
#endif
