namespace LanScatter.PowerShell;

/// <summary>Keeps only the newest value reported from any thread, for the pipeline thread to pick up.</summary>
internal sealed class LatestValue<T> : IProgress<T> where T : struct
{
    private readonly object _gate = new();
    private T? _value;

    public void Report(T value)
    {
        lock (_gate) _value = value;
    }

    public bool TryTake(out T value)
    {
        lock (_gate)
        {
            value = _value.GetValueOrDefault();
            bool had = _value.HasValue;
            _value = null;
            return had;
        }
    }
}
