using BenchmarkDotNet.Attributes;
using LanScatter.Core.Hashing;

namespace LanScatter.Benchmarks;

/// <summary>
/// Verifying a bundle as a peer does: small files of 1–64 KiB (seeded random sizes, as
/// bench/mkdata.sh makes them) back to back in one read buffer of <c>BufferKiB</c>. "Alone" hashes each
/// file with its own <see cref="Blake2b"/> (the baseline); "Batch" hashes them together through
/// <see cref="Blake2bBatch"/>. Both hash the same bytes.
/// </summary>
public class BatchHashingBenchmarks
{
    private byte[] _data = Array.Empty<byte>();
    private int[] _offsets = Array.Empty<int>();
    private int[] _lengths = Array.Empty<int>();
    private byte[] _digests = Array.Empty<byte>();

    [Params(256, 1024)]
    public int BufferKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[BufferKiB * 1024];
        new Random(42).NextBytes(_data);
        var random = new Random(7);
        var offsets = new List<int>();
        var lengths = new List<int>();
        for (int at = 0; at < _data.Length;)
        {
            int length = Math.Min(random.Next(1024, 65537), _data.Length - at);
            offsets.Add(at);
            lengths.Add(length);
            at += length;
        }
        (_offsets, _lengths) = (offsets.ToArray(), lengths.ToArray());
        _digests = new byte[_offsets.Length * 32];
        Batch();
        for (int i = 0; i < _offsets.Length; i++)
        {
            if (!Blake2b.Hash(_data.AsSpan(_offsets[i], _lengths[i])).AsSpan().SequenceEqual(_digests.AsSpan(i * 32, 32)))
                throw new InvalidOperationException("a batch digest differs from the one-stream digest");
        }
    }

    [Benchmark(Baseline = true)]
    public int Alone()
    {
        for (int i = 0; i < _offsets.Length; i++)
        {
            var hasher = new Blake2b(32);
            hasher.Update(_data.AsSpan(_offsets[i], _lengths[i]));
            hasher.Finish(_digests.AsSpan(i * 32, 32));
        }
        return _digests[0];
    }

    [Benchmark]
    public int Batch()
    {
        Blake2bBatch.Hash(_data, _offsets, _lengths, 32, _digests);
        return _digests[0];
    }
}
