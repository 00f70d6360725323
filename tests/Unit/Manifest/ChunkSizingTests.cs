using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;

namespace LanScatter.Tests.Manifest;

public class ChunkSizingTests
{
    [Theory]
    [InlineData(0L, 4L << 20)]
    [InlineData(100L << 20, 4L << 20)]
    [InlineData(1L << 30, 4L << 20)]          // 1 GiB: 256 chunks of 4 MiB
    [InlineData(10L << 30, 32L << 20)]        // 10 GiB: 320 chunks
    [InlineData(100L << 30, 128L << 20)]      // 100 GiB: capped at 128 MiB, 800 chunks
    [InlineData(10L << 40, 128L << 20)]
    public void Adaptive_size_stays_in_4_to_128_MiB_and_aims_for_hundreds_of_chunks(long total, long expected)
    {
        long size = ChunkSizing.Adaptive(total);
        Assert.Equal(expected, size);
        if (total >= 1L << 30 && size < ChunkSizing.MaxAdaptive) Assert.InRange(total / size, 256, 1024);
    }

    [Theory]
    [InlineData("8388608", 8388608L)]
    [InlineData("512K", 512L << 10)]
    [InlineData("8M", 8L << 20)]
    [InlineData("8 MiB", 8L << 20)]
    [InlineData("64mb", 64L << 20)]
    [InlineData("1G", 1L << 30)]
    public void Parses_sizes_with_binary_units(string text, long expected)
    {
        Assert.True(ChunkSizing.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-4M")]
    [InlineData("4X")]
    [InlineData("1.5M")]
    [InlineData("99999999999999999999G")]
    public void Rejects_what_is_not_a_size(string text)
    {
        Assert.False(ChunkSizing.TryParse(text, out _));
    }

    [Fact]
    public void Explicit_sizes_outside_4KiB_to_1GiB_are_refused()
    {
        Assert.Throws<LanScatterException>(() => ChunkSizing.Validate(1024));
        Assert.Throws<LanScatterException>(() => ChunkSizing.Validate(2L << 30));
        Assert.Equal(4096, ChunkSizing.Validate(4096));
    }
}
