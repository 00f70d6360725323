using System.Collections.Concurrent;

namespace LanScatter.Core.Transport;

/// <summary>
/// Tasks started and not awaited where they start (requests in flight, downloads), so that a stop
/// or a rebuild can wait for the ones running to end. Thread-safe.
/// </summary>
internal sealed class TrackedTasks
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public void Track(Task task)
    {
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>
    /// Waits until the tasks running now have ended, for at most <paramref name="limit"/>; returns how
    /// many were still running then (0: all ended). Their failures are their own to report.
    /// </summary>
    public async Task<int> WhenEndedAsync(TimeSpan limit)
    {
        var running = _running.Keys.ToList();
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(limit)).ConfigureAwait(false) != all) return running.Count(t => !t.IsCompleted);
        try
        {
            await all.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ended is all that is asked here.
        }
        return 0;
    }
}
