namespace LanScatter.Core.Nodes;

/// <summary>Bytes per second over a sliding window of a few seconds; thread-safe.</summary>
internal sealed class RateMeter
{
    private readonly object _gate = new();
    private readonly Queue<(long Ticks, long Bytes)> _samples = new();
    private static readonly long Window = TimeSpan.FromSeconds(3).Ticks;
    private long _total;

    public long Total { get { lock (_gate) return _total; } }

    public void Add(long bytes)
    {
        lock (_gate)
        {
            _total += bytes;
            _samples.Enqueue((DateTime.UtcNow.Ticks, bytes));
            Trim();
        }
    }

    public double BytesPerSecond
    {
        get
        {
            lock (_gate)
            {
                Trim();
                return _samples.Sum(s => s.Bytes) / TimeSpan.FromTicks(Window).TotalSeconds;
            }
        }
    }

    private void Trim()
    {
        long cutoff = DateTime.UtcNow.Ticks - Window;
        while (_samples.Count > 0 && _samples.Peek().Ticks < cutoff) _samples.Dequeue();
    }
}
