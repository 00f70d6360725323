namespace LanScatter.Core.Transport;

/// <summary>
/// Runs an action (abort the response) when a write has been pending too long: a receiver that
/// stops reading must not hold an upload slot and a connection for ever. Armed around each write
/// only, so time spent waiting for the upload limit is never counted against the receiver.
/// </summary>
internal sealed class StallGuard : IDisposable
{
    private readonly Timer _timer;
    private readonly TimeSpan _limit;

    public StallGuard(TimeSpan limit, Action onStall)
    {
        _limit = limit;
        _timer = new Timer(_ => onStall(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public void Arm() => _timer.Change(_limit, Timeout.InfiniteTimeSpan);

    public void Disarm() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose() => _timer.Dispose();
}
