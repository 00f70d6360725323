using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

public class ConcurrentLaneHasherTests
{
    private static string Digest(StreamHash hash)
    {
        var digest = new byte[hash.DigestLength];
        hash.Finish(digest);
        return Hex.Of(digest);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(8, 3)]
    [InlineData(11, 4)] // more streams than lanes: the rest hash on their own
    public void Interleaved_streams_give_the_same_digests_as_separate_hashers(int streams, int seed)
    {
        // A 1 KiB staging buffer makes every few pieces fill a lane and trigger a shared pass.
        var lanes = new ConcurrentLaneHasher(laneBytes: 1024);
        var random = new Random(seed);
        var data = Enumerable.Range(0, streams).Select(i => TestData.Random(random.Next(0, 20_000), seed: seed * 100 + i)).ToArray();
        var hashes = data.Select(_ => lanes.Start()).ToArray();
        var fed = new int[streams];
        int[] pieceSizes = [0, 1, 127, 128, 129, 255, 1024, 1025, 3000];
        while (fed.Where((f, i) => f < data[i].Length).Any())
        {
            int i = random.Next(streams);
            int n = Math.Min(pieceSizes[random.Next(pieceSizes.Length)], data[i].Length - fed[i]);
            hashes[i].Update(data[i].AsSpan(fed[i], n));
            fed[i] += n;
        }
        for (int i = 0; i < streams; i++) Assert.Equal(Hex.Of(Blake2b.Hash(data[i])), Digest(hashes[i]));
        if (streams > 1 && lanes.LaneCount > 1) Assert.True(lanes.SharedPasses > 0, "no pass hashed two streams together");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(4096)]
    public void Boundary_lengths_hash_correctly_while_other_lanes_are_busy(int length)
    {
        var lanes = new ConcurrentLaneHasher(laneBytes: 1024);
        var other = lanes.Start();
        var otherData = TestData.Random(5000, seed: 7);
        var data = TestData.Random(length, seed: length);
        var hash = lanes.Start(digestLength: 64);
        other.Update(otherData.AsSpan(0, 2000));
        hash.Update(data);
        other.Update(otherData.AsSpan(2000));
        Assert.Equal(Hex.Of(Blake2b.Hash(data, 64)), Digest(hash));
        Assert.Equal(Hex.Of(Blake2b.Hash(otherData)), Digest(other));
    }

    [Fact]
    public void Streams_fed_from_many_threads_at_once_hash_correctly()
    {
        var lanes = new ConcurrentLaneHasher(laneBytes: 4096);
        var results = new string[12];
        var expected = new string[12];
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 12 }, i =>
        {
            var data = TestData.Random(300_000 + i * 1000, seed: 50 + i);
            expected[i] = Hex.Of(Blake2b.Hash(data));
            var hash = lanes.Start();
            var random = new Random(i);
            for (int at = 0; at < data.Length;)
            {
                int n = Math.Min(random.Next(1, 70_000), data.Length - at);
                hash.Update(data.AsSpan(at, n));
                at += n;
            }
            results[i] = Digest(hash);
        });
        Assert.Equal(expected, results);
    }

    [Avx2Fact] // without SIMD every stream hashes on its own: there is no lane to free
    public void An_abandoned_stream_frees_its_lane_for_the_next()
    {
        var lanes = new ConcurrentLaneHasher(laneBytes: 1024);
        var held = Enumerable.Range(0, lanes.LaneCount).Select(_ => lanes.Start()).ToList();
        Assert.All(held, h => Assert.True(h.InLane));
        held[0].Update(new byte[700]);
        Assert.False(lanes.Start().InLane);

        held[0].Dispose();
        var next = lanes.Start();
        Assert.True(next.InLane);
        var data = TestData.Random(3000, seed: 3);
        next.Update(data);
        Assert.Equal(Hex.Of(Blake2b.Hash(data)), Digest(next)); // nothing left over from the abandoned stream
    }

    [Fact]
    public void A_finished_stream_cannot_be_fed_or_finished_again()
    {
        var hash = new ConcurrentLaneHasher().Start();
        hash.Update(new byte[10]);
        Digest(hash);
        Assert.Throws<InvalidOperationException>(() => hash.Update(new byte[1]));
        Assert.Throws<InvalidOperationException>(() => Digest(hash));
    }

    [Avx2Fact]
    public void A_piece_that_fills_its_lane_is_staged_only_when_partners_are_ready_to_share_the_pass()
    {
        var lanes = new ConcurrentLaneHasher(laneBytes: 1024);
        var data = Enumerable.Range(0, 3).Select(i => TestData.Random(4000, seed: 20 + i)).ToArray();
        var hashes = data.Select(_ => lanes.Start()).ToArray();

        // No other lane holds anything: the piece is hashed from the caller's buffer, not copied.
        hashes[2].Update(data[2].AsSpan(0, 2048));
        Assert.Equal(0, lanes.StagedBytes);

        // Two lanes hold a quarter buffer or more: the next piece waits in its lane for a shared pass.
        hashes[0].Update(data[0].AsSpan(0, 600));
        hashes[1].Update(data[1].AsSpan(0, 600));
        hashes[2].Update(data[2].AsSpan(2048, 1024));
        Assert.True(lanes.StagedBytes > 1200, $"staged {lanes.StagedBytes}");
        Assert.Equal(1, lanes.SharedPasses);

        hashes[0].Update(data[0].AsSpan(600));
        hashes[1].Update(data[1].AsSpan(600));
        hashes[2].Update(data[2].AsSpan(3072));
        for (int i = 0; i < 3; i++) Assert.Equal(Hex.Of(Blake2b.Hash(data[i])), Digest(hashes[i]));
    }
}
