namespace LanScatter.Core.Security;

/// <summary>
/// Single-use nonces for control actions: issued on request, valid for a minute, spent by one use.
/// Bounded: past <see cref="Capacity"/> the oldest are forgotten, so asking for nonces costs the
/// master no more than that.
/// </summary>
internal sealed class NonceStore
{
    public const int Capacity = 1024;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTime> _issued = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Func<DateTime> _now;

    public NonceStore(Func<DateTime>? now = null) => _now = now ?? (() => DateTime.UtcNow);

    public string Issue()
    {
        var nonce = Mac.NewNonce();
        lock (_issued)
        {
            while (_order.Count >= Capacity) _issued.Remove(_order.Dequeue());
            _issued[nonce] = _now() + Lifetime;
            _order.Enqueue(nonce);
        }
        return nonce;
    }

    public bool TryUse(string nonce)
    {
        lock (_issued)
        {
            // Spent nonces stay in the queue until they age out; removing from the dictionary is what counts.
            return _issued.TryGetValue(nonce, out var expires) && _issued.Remove(nonce) && _now() <= expires;
        }
    }
}
