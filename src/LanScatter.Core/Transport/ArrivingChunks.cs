using LanScatter.Core.Storage;

namespace LanScatter.Core.Transport;

/// <summary>
/// The chunks a peer is receiving right now, with how many bytes of each are on disk, so the peer
/// can pass a chunk on while it arrives (a relay). Relayed bytes are unverified: every receiver
/// checks the whole chunk against its id itself. Thread-safe.
/// </summary>
public sealed class ArrivingChunks
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ArrivingChunk> _chunks = new(StringComparer.Ordinal);
    private TaskCompletionSource<bool> _begun = NewSignal();

    /// <summary>A fetch of <paramref name="id"/> into <paramref name="target"/> starts.</summary>
    public ArrivingChunk Begin(string id, ChunkTarget target)
    {
        var chunk = new ArrivingChunk(target);
        TaskCompletionSource<bool> begun;
        lock (_gate)
        {
            if (_chunks.TryGetValue(id, out var old)) old.End(ok: false);
            _chunks[id] = chunk;
            begun = _begun;
            _begun = NewSignal();
        }
        begun.TrySetResult(true);
        return chunk;
    }

    /// <summary>The fetch ended: verified (and committed) or not. Relays still reading see the outcome.</summary>
    public void End(string id, ArrivingChunk chunk, bool ok)
    {
        lock (_gate)
        {
            if (_chunks.TryGetValue(id, out var current) && current == chunk) _chunks.Remove(id);
        }
        chunk.End(ok);
    }

    /// <summary>The chunk with this id being received now, if any.</summary>
    public ArrivingChunk? Find(string id)
    {
        lock (_gate) return _chunks.TryGetValue(id, out var chunk) ? chunk : null;
    }

    /// <summary>Completes when the next fetch begins, or after <paramref name="wait"/>.</summary>
    public async Task WhenNextBegunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task begun;
        lock (_gate) begun = _begun.Task;
        await SignalWait.ForAsync(begun, wait, cancellationToken).ConfigureAwait(false);
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
