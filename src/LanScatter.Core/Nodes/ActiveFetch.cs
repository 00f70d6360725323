namespace LanScatter.Core.Nodes;

/// <summary>
/// A peer's running fetch: its cancellation and the bytes received so far (reported to the master each
/// second). Stopping, an abort from the master and the fetch's own end race each other, so cancelling
/// after the end is a no-op instead of an <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class ActiveFetch : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly DateTime _started;
    private bool _disposed;
    private long _bytes;
    private int _ending;

    public ActiveFetch(CancellationToken stopping, DateTime started)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _started = started;
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The transfer whose id the progress is reported under (a bundle's fetch is registered under each of its transfers).</summary>
    public long ReportAs { get; set; }

    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddBytes(long n) => Interlocked.Add(ref _bytes, n);

    /// <summary>
    /// True once: when, at its pace so far, the fetch has less than <paramref name="lead"/> to go of
    /// <paramref name="length"/> bytes. Not when it is already complete (its end is reported anyway).
    /// </summary>
    public bool ComesToEnd(long length, TimeSpan lead, DateTime now)
    {
        long bytes = Bytes;
        long left = length - bytes;
        double seconds = (now - _started).TotalSeconds;
        if (left <= 0 || bytes <= 0 || seconds <= 0) return false;
        if (left / (bytes / seconds) > lead.TotalSeconds) return false;
        return Interlocked.Exchange(ref _ending, 1) == 0;
    }

    public void Cancel()
    {
        lock (_cancel) if (!_disposed) _cancel.Cancel();
    }

    public void Dispose()
    {
        lock (_cancel)
        {
            _disposed = true;
            _cancel.Dispose();
        }
    }
}
