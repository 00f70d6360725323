namespace LanScatter.Core.Throttling;

/// <summary>
/// A bandwidth limit shared by all streams of one direction of a node. Tokens are bytes, refilled
/// at the rate; a burst of a quarter second keeps small waits from stalling TCP. The rate can be
/// changed while running; 0 means unlimited.
/// </summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly Func<long> _ticks;
    private double _bytesPerSecond;
    private double _tokens;
    private long _lastTicks;

    public TokenBucket(double bytesPerSecond = 0, Func<long>? clockTicks = null)
    {
        _ticks = clockTicks ?? (() => System.Diagnostics.Stopwatch.GetTimestamp());
        _lastTicks = _ticks();
        SetRate(bytesPerSecond);
    }

    /// <summary>Current limit in bytes per second; 0 when unlimited.</summary>
    public double BytesPerSecond
    {
        get { lock (_gate) return _bytesPerSecond; }
    }

    public void SetRate(double bytesPerSecond)
    {
        if (bytesPerSecond < 0 || double.IsNaN(bytesPerSecond)) throw new ArgumentOutOfRangeException(nameof(bytesPerSecond));
        lock (_gate)
        {
            Refill();
            _bytesPerSecond = bytesPerSecond;
            _tokens = Math.Min(_tokens, Burst);
        }
    }

    private double Burst => Math.Max(64 * 1024, _bytesPerSecond / 4);

    /// <summary>Waits until <paramref name="bytes"/> may pass (takes them now and waits off any debt).</summary>
    public async Task WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (_bytesPerSecond <= 0) return;
            Refill();
            _tokens -= bytes;
            if (_tokens >= 0) return;
            delay = TimeSpan.FromSeconds(-_tokens / _bytesPerSecond);
        }
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How much to move at once, at most <paramref name="largest"/>: under a tight limit a quarter
    /// second's worth, so bytes keep flowing smoothly and progress keeps showing.
    /// </summary>
    public int Piece(int largest)
    {
        double rate = BytesPerSecond;
        return rate <= 0 ? largest : (int)Math.Max(Math.Min(16 * 1024, largest), Math.Min(largest, rate / 4));
    }

    private void Refill()
    {
        long now = _ticks();
        double seconds = (now - _lastTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        _lastTicks = now;
        if (_bytesPerSecond > 0) _tokens = Math.Min(Burst, _tokens + seconds * _bytesPerSecond);
    }

    /// <summary>Mbit/s as users write them to bytes per second (0 stays unlimited).</summary>
    public static double FromMbit(double mbit) => mbit * 1_000_000 / 8;

    public static double ToMbit(double bytesPerSecond) => bytesPerSecond * 8 / 1_000_000;
}
