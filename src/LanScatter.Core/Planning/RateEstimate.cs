namespace LanScatter.Core.Planning;

/// <summary>Exponential moving average of bytes per second; unknown until the first sample.</summary>
internal struct RateEstimate
{
    public double BytesPerSecond;
    public int Samples;

    public bool Known => Samples > 0;

    public void Add(double bytesPerSecond, double weight)
    {
        BytesPerSecond = Samples == 0 ? bytesPerSecond : (1 - weight) * BytesPerSecond + weight * bytesPerSecond;
        Samples++;
    }
}
