using LanScatter.Core.Storage;

namespace LanScatter.Core.Transport;

/// <summary>
/// The chunks a peer is receiving right now, with how many bytes of each are on disk, so the peer
/// can pass a chunk on while it arrives (a relay). Relayed bytes are unverified: every receiver
/// checks the whole chunk against its id itself. Thread-safe.
/// </summary>
internal sealed class ArrivingChunks
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ArrivingChunk> _chunks = new(StringComparer.Ordinal);
    private TaskCompletionSource<bool> _changed = NewSignal();

    /// <summary>A fetch of <paramref name="id"/> into <paramref name="target"/> starts.</summary>
    public ArrivingChunk Begin(string id, ChunkTarget target)
    {
        var chunk = new ArrivingChunk(target);
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            if (_chunks.TryGetValue(id, out var old)) old.End(ok: false);
            _chunks[id] = chunk;
            changed = TakeSignal();
        }
        changed.TrySetResult(true);
        return chunk;
    }

    /// <summary>The fetch ended: verified (and committed) or not. Relays still reading see the outcome.</summary>
    public void End(string id, ArrivingChunk chunk, bool ok)
    {
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            if (_chunks.TryGetValue(id, out var current) && current == chunk) _chunks.Remove(id);
            changed = TakeSignal();
        }
        chunk.End(ok);
        changed.TrySetResult(true);
    }

    /// <summary>The chunk with this id being received now, if any.</summary>
    public ArrivingChunk? Find(string id)
    {
        lock (_gate) return _chunks.TryGetValue(id, out var chunk) ? chunk : null;
    }

    /// <summary>Completes when the next fetch begins or ends, or after <paramref name="wait"/>.</summary>
    public async Task WhenChangedAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate) changed = _changed.Task;
        await SignalWait.ForAsync(changed, wait, cancellationToken).ConfigureAwait(false);
    }

    // The current signal, replaced by a fresh one for later waiters (call under the lock).
    private TaskCompletionSource<bool> TakeSignal()
    {
        var signal = _changed;
        _changed = NewSignal();
        return signal;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
