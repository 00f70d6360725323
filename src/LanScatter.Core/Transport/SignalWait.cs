namespace LanScatter.Core.Transport;

internal static class SignalWait
{
    /// <summary>
    /// Waits until <paramref name="signal"/> completes or <paramref name="limit"/> passes. The timer
    /// is cancelled as soon as the signal comes, so frequent short waits do not pile up timers.
    /// </summary>
    public static async Task ForAsync(Task signal, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(signal, Task.Delay(limit, stop.Token)).ConfigureAwait(false);
        stop.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
