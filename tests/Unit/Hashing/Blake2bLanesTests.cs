using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

public class Blake2bLanesTests
{
    [Fact]
    public void Lane_width_is_at_least_four_on_an_avx2_machine()
    {
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.True(Blake2bLanes.Width >= 4);
        else Assert.Equal(1, Blake2bLanes.Width);
    }

    // The runtime's names for these switches change between versions (.NET 10 ignores
    // DOTNET_EnableAVX512F, once the way to turn AVX-512 off); a run meant to prove the 4-lane or
    // the scalar path fails here if the switch it used did nothing.
    [ExpectedLaneWidthFact]
    public void Lane_width_is_the_one_the_run_switched_the_cpu_features_to()
    {
        int expected = int.Parse(Environment.GetEnvironmentVariable(ExpectedLaneWidthFactAttribute.Variable)!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Blake2bLanes.Width);
    }

    [Theory]
    [InlineData(1, 128)]
    [InlineData(2, 256)]
    [InlineData(3, 4096)]
    [InlineData(4, 128 * 33)]
    [InlineData(5, 1024)]
    [InlineData(8, 65536)]
    [InlineData(9, 256)]   // more hashers than lanes: falls back one by one
    public void Lanes_give_the_same_digests_as_separate_hashers(int count, int length)
    {
        const int stride = 70_016; // not a multiple of the length: lanes sit apart in the buffer
        var data = TestData.Random(stride * count, seed: count * 31 + length);
        var lanes = Enumerable.Range(0, count).Select(_ => new Blake2b()).ToArray();
        var single = Enumerable.Range(0, count).Select(_ => new Blake2b()).ToArray();

        // Three passes: the second and third start with a held block from the first.
        for (int pass = 0; pass < 3; pass++)
        {
            Blake2bLanes.Update(lanes, data, stride, length);
            for (int i = 0; i < count; i++) single[i].Update(data.AsSpan(i * stride, length));
        }
        for (int i = 0; i < count; i++) Assert.Equal(Hex.Of(single[i].Finish()), Hex.Of(lanes[i].Finish()));
    }

    [Fact]
    public void Lanes_with_unaligned_lengths_or_mixed_positions_still_hash_correctly()
    {
        var data = TestData.Random(4 * 5000, seed: 5);
        var lanes = Enumerable.Range(0, 4).Select(_ => new Blake2b()).ToArray();
        lanes[2].Update(new byte[7]); // a lane not at a block boundary
        var single = Enumerable.Range(0, 4).Select(_ => new Blake2b()).ToArray();
        single[2].Update(new byte[7]);

        Blake2bLanes.Update(lanes, data, 5000, 4999);
        Blake2bLanes.Update(lanes, data, 5000, 1280);
        for (int i = 0; i < 4; i++)
        {
            single[i].Update(data.AsSpan(i * 5000, 4999));
            single[i].Update(data.AsSpan(i * 5000, 1280));
            Assert.Equal(Hex.Of(single[i].Finish()), Hex.Of(lanes[i].Finish()));
        }
    }

    [Fact]
    public void Rejects_a_buffer_too_short_for_its_lanes()
    {
        var lanes = new[] { new Blake2b(), new Blake2b() };
        Assert.Throws<ArgumentException>(() => Blake2bLanes.Update(lanes, new byte[200], 128, 128));
    }
}
