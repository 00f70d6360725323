using BenchmarkDotNet.Attributes;
using LanScatter.Core.Hashing;

namespace LanScatter.Benchmarks;

/// <summary>
/// Verifying downloads as a peer does: <c>Streams</c> chunks of 4 MiB arrive at once in pieces of 256 KiB
/// (a download's read size), interleaved in a seeded random order, through one
/// <see cref="ConcurrentLaneHasher"/>. "Alone" hashes the same pieces with one <see cref="Blake2b"/>
/// per stream (the baseline: what a lane that never shares a pass costs). Both hash Streams × 4 MiB.
/// </summary>
public class ConcurrentHashingBenchmarks
{
    private const int ChunkBytes = 4 << 20;
    private const int PieceBytes = 256 * 1024;
    private byte[] _data = Array.Empty<byte>();
    private int[] _order = Array.Empty<int>();

    [Params(2, 4)]
    public int Streams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[ChunkBytes];
        new Random(42).NextBytes(_data);
        // Each stream's pieces in turn, the turns shuffled: streams progress at uneven moments.
        var random = new Random(7);
        _order = Enumerable.Range(0, Streams).SelectMany(s => Enumerable.Repeat(s, ChunkBytes / PieceBytes)).OrderBy(_ => random.Next()).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Alone()
    {
        var hashers = Enumerable.Range(0, Streams).Select(_ => new Blake2b(32)).ToArray();
        var fed = new int[Streams];
        foreach (int s in _order)
        {
            hashers[s].Update(_data.AsSpan(fed[s], PieceBytes));
            fed[s] += PieceBytes;
        }
        return hashers.Sum(h => h.Finish()[0]);
    }

    [Benchmark]
    public int InLanes()
    {
        var lanes = new ConcurrentLaneHasher();
        var hashes = Enumerable.Range(0, Streams).Select(_ => lanes.Start()).ToArray();
        var fed = new int[Streams];
        foreach (int s in _order)
        {
            hashes[s].Update(_data.AsSpan(fed[s], PieceBytes));
            fed[s] += PieceBytes;
        }
        int x = 0;
        var digest = new byte[32];
        foreach (var h in hashes)
        {
            h.Finish(digest);
            x += digest[0];
        }
        return x;
    }
}
