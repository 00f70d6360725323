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
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(begun, Task.Delay(wait, stop.Token)).ConfigureAwait(false);
        stop.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One chunk on its way in: where it is written and how much of it is there.</summary>
public sealed class ArrivingChunk
{
    private readonly object _gate = new();
    private long _available;
    private bool? _outcome;
    private TaskCompletionSource<bool>? _changed;

    internal ArrivingChunk(ChunkTarget target) => Target = target;

    public ChunkTarget Target { get; }

    /// <summary>Bytes from the start of the chunk that are written to <see cref="Target"/>.</summary>
    public long Available
    {
        get { lock (_gate) return _available; }
    }

    /// <summary>Null while arriving; then whether it arrived whole and verified.</summary>
    public bool? Outcome
    {
        get { lock (_gate) return _outcome; }
    }

    /// <summary><paramref name="bytes"/> more bytes are on disk (in order).</summary>
    public void Advance(long bytes)
    {
        TaskCompletionSource<bool>? changed;
        lock (_gate)
        {
            _available += bytes;
            changed = _changed;
            _changed = null;
        }
        changed?.TrySetResult(true);
    }

    internal void End(bool ok)
    {
        TaskCompletionSource<bool>? changed;
        lock (_gate)
        {
            if (_outcome is not null) return;
            _outcome = ok;
            changed = _changed;
            _changed = null;
        }
        changed?.TrySetResult(true);
    }

    /// <summary>Completes when more than <paramref name="seen"/> bytes are available or the fetch ended.</summary>
    public Task WhenBeyondAsync(long seen)
    {
        lock (_gate)
        {
            if (_available > seen || _outcome is not null) return Task.CompletedTask;
            // Only a waiting relay costs a signal; most chunks are never relayed.
            _changed ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _changed.Task;
        }
    }
}
