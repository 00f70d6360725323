using BenchmarkDotNet.Attributes;
using LanScatter.Core.Hashing;

namespace LanScatter.Benchmarks;

/// <summary>
/// BLAKE2b throughput on one core, against OpenSSL's BLAKE2b-512 (libcrypto, same process: the
/// baseline). "OneStream" is one stream as the hasher runs it (rows of a vector or the scalar code,
/// whichever <c>OneStreamKernel</c> timed faster here); "Rows" the AVX2 rows alone;
/// "Scalar" the same through the scalar compression of RFC 7693 (what runs without AVX2 and in
/// Windows PowerShell 5.1); "Lanes" hashes Width equally long streams at once (how the chunk hasher works). Every method hashes Size bytes per operation, so times compare directly.
/// </summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private byte[] _data = Array.Empty<byte>();

    [Params(1 << 20, 64 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
        var expected = Convert.ToHexString(OpenSslBlake2b.Hash(_data));
        if (Convert.ToHexString(Blake2b.Hash(_data, 64)) != expected) throw new InvalidOperationException("digest differs from OpenSSL's");
    }

    [Benchmark(Baseline = true)]
    public byte[] OpenSsl() => OpenSslBlake2b.Hash(_data);

    [Benchmark]
    public byte[] OneStream() => Blake2b.Hash(_data, 64);

    [Benchmark]
    public ulong Rows()
    {
        if (!Blake2bRows.IsSupported) return 0;
        var h = new ulong[8];
        ulong t0 = 0, t1 = 0;
        Blake2bRows.Compress(h, _data, ref t0, ref t1);
        return h[0];
    }

    [Benchmark]
    public ulong Scalar()
    {
        var h = new ulong[8];
        ulong t0 = 0;
        for (int i = 0; i < _data.Length; i += 128)
        {
            t0 += 128;
            Blake2bScalar.Compress(h, _data.AsSpan(i, 128), t0, 0, last: i + 128 == _data.Length);
        }
        return h[0];
    }

    [Benchmark]
    public int Lanes()
    {
        int width = Blake2bLanes.Width;
        int length = Size / width / 128 * 128;
        var hashers = new Blake2b[width];
        for (int i = 0; i < width; i++) hashers[i] = new Blake2b(64);
        Blake2bLanes.Update(hashers, _data, length, length);
        int x = 0;
        foreach (var h in hashers) x ^= h.Finish()[0];
        return x;
    }
}
