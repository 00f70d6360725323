namespace LanScatter.Core.Nodes;

/// <summary>
/// A peer's running fetch: its cancellation and the bytes received so far (reported to the master each
/// second). Stopping, an abort from the master and the fetch's own end race each other, so cancelling
/// after the end is a no-op instead of an <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class ActiveFetch : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private bool _disposed;
    private long _bytes;

    public ActiveFetch(CancellationToken stopping) => _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);

    public CancellationToken Token => _cancel.Token;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void AddBytes(long n) => Interlocked.Add(ref _bytes, n);

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
