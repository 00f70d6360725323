using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

public class Blake2bBatchTests
{
    private static string[] OneByOne(byte[] data, int[] offsets, int[] lengths) =>
        offsets.Select((o, i) => Hex.Of(Blake2b.Hash(data.AsSpan(o, lengths[i])))).ToArray();

    private static string[] Batched(byte[] data, int[] offsets, int[] lengths)
    {
        var digests = new byte[offsets.Length * 32];
        Blake2bBatch.Hash(data, offsets, lengths, 32, digests);
        return offsets.Select((_, i) => Hex.Of(digests.AsSpan(i * 32, 32))).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(9)]
    [InlineData(40)]
    public void Each_message_gets_the_digest_it_has_alone(int count)
    {
        // Lengths around block edges and lane sizes, back to back at odd offsets as a bundle's files lie.
        int[] pattern = { 0, 1, 127, 128, 129, 512, 513, 640, 641, 5000, 65_536, 40_001, 3, 1024 * 9 + 7 };
        var lengths = Enumerable.Range(0, count).Select(i => pattern[(i * 5 + count) % pattern.Length]).ToArray();
        var offsets = new int[count];
        for (int i = 1; i < count; i++) offsets[i] = offsets[i - 1] + lengths[i - 1];
        var data = TestData.Random(lengths.Sum() + 1, seed: count);

        Assert.Equal(OneByOne(data, offsets, lengths), Batched(data, offsets, lengths));
    }

    [Fact]
    public void Messages_of_very_different_lengths_in_any_order_and_place_hash_correctly()
    {
        // Lanes free up at different moments, and messages overlap or repeat: each is still its own.
        var random = new Random(11);
        var data = TestData.Random(1 << 20, seed: 3);
        var lengths = Enumerable.Range(0, 60).Select(_ => random.Next(0, 70_000)).ToArray();
        var offsets = lengths.Select(l => random.Next(0, data.Length - l + 1)).ToArray();

        Assert.Equal(OneByOne(data, offsets, lengths), Batched(data, offsets, lengths));
    }

    [Fact]
    public void A_message_outside_the_buffer_is_refused()
    {
        var digests = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => Blake2bBatch.Hash(new byte[1000], new[] { 0, 900 }, new[] { 100, 101 }, 32, digests));
        Assert.Throws<ArgumentException>(() => Blake2bBatch.Hash(new byte[1000], new[] { 0, 100 }, new[] { 100, 100 }, 32, new byte[63]));
    }
}
