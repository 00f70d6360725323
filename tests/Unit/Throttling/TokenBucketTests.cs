using System.Diagnostics;
using LanScatter.Core.Throttling;

namespace LanScatter.Tests.Throttling;

public class TokenBucketTests
{
    private long _ticks;
    private TokenBucket Bucket(double rate) => new(rate, () => _ticks);
    private void Advance(double seconds) => _ticks += (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public async Task Unlimited_never_waits()
    {
        var bucket = Bucket(0);
        for (int i = 0; i < 1000; i++) Assert.True(bucket.WaitAsync(1 << 20, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void A_burst_passes_at_once_then_the_rate_governs()
    {
        var bucket = Bucket(1_000_000); // burst = max(64 KiB, rate/4) = 250 kB
        Advance(10);
        Assert.True(bucket.WaitAsync(200_000, CancellationToken.None).IsCompletedSuccessfully);
        var wait = bucket.WaitAsync(200_000, CancellationToken.None); // 150 kB of debt: 0.15 s
        Assert.False(wait.IsCompleted);
    }

    [Fact]
    public void Tokens_refill_with_time_at_the_rate()
    {
        var bucket = Bucket(100_000);
        Advance(1);
        Assert.True(bucket.WaitAsync(65_536, CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(bucket.WaitAsync(10_000, CancellationToken.None).IsCompleted);
        Advance(1); // +100 kB, capped at the burst
        Assert.True(bucket.WaitAsync(50_000, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void The_rate_can_change_while_running()
    {
        var bucket = Bucket(1000);
        Advance(1);
        bucket.SetRate(0);
        Assert.Equal(0, bucket.BytesPerSecond);
        Assert.True(bucket.WaitAsync(10_000_000, CancellationToken.None).IsCompletedSuccessfully);
        bucket.SetRate(TokenBucket.FromMbit(8));
        Assert.Equal(1_000_000, bucket.BytesPerSecond);
        Assert.Throws<ArgumentOutOfRangeException>(() => bucket.SetRate(-1));
    }

    [Fact]
    public void A_piece_is_the_largest_when_unlimited_and_a_quarter_seconds_worth_under_a_tight_limit()
    {
        Assert.Equal(256 * 1024, Bucket(0).Piece(256 * 1024));
        Assert.Equal(256 * 1024, Bucket(100_000_000).Piece(256 * 1024));
        Assert.Equal(100_000, Bucket(400_000).Piece(256 * 1024));
        Assert.Equal(16 * 1024, Bucket(1000).Piece(256 * 1024)); // never below 16 KiB
    }
}
