using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

/// <summary>
/// The one-stream AVX2 compression (state as rows of a vector) against the scalar one of RFC 7693,
/// block for block: every hash of one stream now goes through it where the CPU has AVX2.
/// </summary>
public class Blake2bRowsTests
{
    [Avx2Fact]
    public void Rows_compress_many_blocks_exactly_as_the_scalar_code_including_a_counter_that_carries()
    {
        var random = new Random(7);
        foreach (ulong start in new[] { 0UL, 128UL * 1000, ulong.MaxValue - 128 * 3 + 1 })
        {
            var data = TestData.Random(128 * 9, seed: (int)(start % 1000) + 3);
            var h = Enumerable.Range(0, 8).Select(_ => (ulong)random.NextInt64()).ToArray();
            var expected = (ulong[])h.Clone();
            ulong et0 = start, et1 = 5;
            for (int i = 0; i < 9; i++)
            {
                et0 += 128;
                if (et0 < 128) et1++;
                Blake2bScalar.Compress(expected, data.AsSpan(i * 128, 128), et0, et1, last: false);
            }
            ulong t0 = start, t1 = 5;
            Blake2bRows.Compress(h, data, ref t0, ref t1);
            Assert.Equal((et0, et1), (t0, t1));
            Assert.Equal(expected, h);
        }
    }

    [Avx2Fact]
    public void The_final_block_in_rows_matches_the_scalar_code()
    {
        var block = TestData.Random(128, seed: 11);
        var h = new ulong[] { 1, 2, 3, 4, 5, 6, 7, ulong.MaxValue };
        var expected = (ulong[])h.Clone();
        Blake2bScalar.Compress(expected, block, 77, 1, last: true);
        Blake2bRows.CompressFinal(h, block, 77, 1);
        Assert.Equal(expected, h);
    }
}
