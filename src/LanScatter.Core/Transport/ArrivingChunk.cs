using LanScatter.Core.Storage;

namespace LanScatter.Core.Transport;

/// <summary>One chunk on its way in: where it is written and how much of it is there.</summary>
internal sealed class ArrivingChunk
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
