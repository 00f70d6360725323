namespace LanScatter.Core.Planning;

/// <summary>
/// Deterministic pseudo-random tie-breaks: a hash of (seed, a, b). Spreads equal choices across the
/// swarm (peers start on different chunks) without any state that would make plans order-dependent.
/// </summary>
internal static class TieBreak
{
    public static ulong Of(int seed, int a, int b)
    {
        ulong x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)a * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)b * 0x94D049BB133111EBUL;
        x ^= x >> 31; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 33);
    }
}
