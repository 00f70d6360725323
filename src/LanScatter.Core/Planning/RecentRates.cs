namespace LanScatter.Core.Planning;

/// <summary>The last few hundred per-transfer rates of the swarm, for its median.</summary>
internal sealed class RecentRates
{
    private readonly double[] _ring;
    private int _count;
    private int _next;
    private double? _median;

    public RecentRates(int capacity = 255) => _ring = new double[capacity];

    public void Add(double bytesPerSecond)
    {
        _ring[_next] = bytesPerSecond;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
        _median = null;
    }

    /// <summary>Median of recent rates, or null before any transfer finished.</summary>
    public double? Median
    {
        get
        {
            if (_count == 0) return null;
            if (_median is null)
            {
                var copy = new double[_count];
                Array.Copy(_ring, copy, _count);
                Array.Sort(copy);
                _median = copy[_count / 2];
            }
            return _median;
        }
    }
}
