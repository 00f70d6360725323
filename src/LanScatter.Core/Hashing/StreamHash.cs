namespace LanScatter.Core.Hashing;

/// <summary>One stream being hashed by a <see cref="ConcurrentLaneHasher"/>.</summary>
internal sealed class StreamHash : IDisposable
{
    private readonly ConcurrentLaneHasher? _owner;
    private ConcurrentLaneHasher.Lane? _lane;
    private readonly Blake2b _hasher;
    private bool _finished;

    internal StreamHash(ConcurrentLaneHasher? owner, ConcurrentLaneHasher.Lane? lane, Blake2b hasher)
    {
        _owner = owner;
        _lane = lane;
        _hasher = hasher;
    }

    /// <summary>True when this stream shares SIMD passes with other streams.</summary>
    public bool InLane => _lane is not null;

    public int DigestLength => _hasher.DigestLength;

    public void Update(ReadOnlySpan<byte> data)
    {
        if (_finished) throw new InvalidOperationException("This hash is already finished.");
        if (_lane is not null) _owner!.Update(_lane, data);
        else _hasher.Update(data);
    }

    public void Finish(Span<byte> output)
    {
        if (_finished) throw new InvalidOperationException("This hash is already finished.");
        if (output.Length < DigestLength) throw new ArgumentException("The output is shorter than the digest.", nameof(output));
        _finished = true;
        if (_lane is not null)
        {
            _owner!.Finish(_lane, output);
            _lane = null;
        }
        else _hasher.Finish(output);
    }

    public void Dispose()
    {
        if (_lane is null) return;
        _owner!.Release(_lane);
        _lane = null;
    }
}
