using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

public class Blake2bLengthTests
{
    public static TheoryData<int> BoundaryLengths => new() { 0, 1, 127, 128, 129, 255, 256, 257, 1024, (1 << 20) + 1 };

    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public void Matches_independent_implementation_at_block_boundaries(int length)
    {
        var data = TestData.Random(length, seed: length);
        Assert.Equal(Reference(data), Hex.Of(Blake2b.Hash(data)));
    }

    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public void Incremental_updates_at_many_split_points_equal_one_shot(int length)
    {
        var data = TestData.Random(length, seed: 7 + length);
        var expected = Hex.Of(Blake2b.Hash(data));
        var rng = new Random(length);
        foreach (int pieceMax in new[] { 1, 3, 127, 128, 129, 1000, 70_000 })
        {
            var h = new Blake2b();
            int pos = 0;
            while (pos < data.Length)
            {
                int n = Math.Min(data.Length - pos, 1 + rng.Next(pieceMax));
                h.Update(data.AsSpan(pos, n));
                pos += n;
            }
            Assert.Equal(expected, Hex.Of(h.Finish()));
        }
    }

    [Fact]
    public void Every_split_point_of_a_600_byte_input_gives_the_same_digest()
    {
        var data = TestData.Random(600, seed: 600);
        var expected = Hex.Of(Blake2b.Hash(data));
        for (int split = 0; split <= data.Length; split++)
        {
            var h = new Blake2b();
            h.Update(data.AsSpan(0, split));
            h.Update(data.AsSpan(split));
            Assert.Equal(expected, Hex.Of(h.Finish()));
        }
    }

    [Fact]
    public void Random_inputs_cross_checked_against_b2sum_or_hashlib()
    {
        var rng = new Random(12345);
        for (int i = 0; i < 12; i++)
        {
            int length = rng.Next(0, 300_000);
            var data = TestData.Random(length, seed: 1000 + i);
            Assert.Equal(Reference(data), Hex.Of(Blake2b.Hash(data)));
        }
    }

    private static string Reference(byte[] data)
    {
        Assert.True(ReferenceBlake2b.Tool is not null, "b2sum (coreutils) or python3 is needed on PATH for the cross-check");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, data);
            return ReferenceBlake2b.HashFile(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
