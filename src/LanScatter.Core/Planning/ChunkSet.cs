namespace LanScatter.Core.Planning;

/// <summary>A fixed-size set of chunk indices as a bitset: the planner's "has" and "in flight" sets.</summary>
internal sealed class ChunkSet
{
    private readonly ulong[] _words;

    public ChunkSet(int capacity)
    {
        Capacity = capacity;
        _words = new ulong[(capacity + 63) / 64];
    }

    public int Capacity { get; }
    public int Count { get; private set; }

    public bool Contains(int chunk) => (_words[chunk >> 6] & (1UL << (chunk & 63))) != 0;

    /// <summary>Adds a chunk; false when it was already there.</summary>
    public bool Add(int chunk)
    {
        ref ulong w = ref _words[chunk >> 6];
        ulong bit = 1UL << (chunk & 63);
        if ((w & bit) != 0) return false;
        w |= bit;
        Count++;
        return true;
    }

    public bool Remove(int chunk)
    {
        ref ulong w = ref _words[chunk >> 6];
        ulong bit = 1UL << (chunk & 63);
        if ((w & bit) == 0) return false;
        w &= ~bit;
        Count--;
        return true;
    }

    public IEnumerable<int> Items()
    {
        for (int i = 0; i < _words.Length; i++)
        {
            ulong w = _words[i];
            while (w != 0)
            {
                int bit = TrailingZeros(w);
                yield return i * 64 + bit;
                w &= w - 1;
            }
        }
    }

    /// <summary>True when this set has a chunk that <paramref name="has"/>, <paramref name="busy"/> and <paramref name="skip"/> all lack.</summary>
    public bool HasAnyNotIn(ChunkSet has, ChunkSet busy, ChunkSet skip)
    {
        for (int i = 0; i < _words.Length; i++)
        {
            if ((_words[i] & ~has._words[i] & ~busy._words[i] & ~skip._words[i]) != 0) return true;
        }
        return false;
    }

    /// <summary>Like <see cref="HasAnyNotIn"/> for the union of this set and <paramref name="also"/>.</summary>
    public bool EitherHasAnyNotIn(ChunkSet also, ChunkSet has, ChunkSet busy, ChunkSet skip)
    {
        for (int i = 0; i < _words.Length; i++)
        {
            if (((_words[i] | also._words[i]) & ~has._words[i] & ~busy._words[i] & ~skip._words[i]) != 0) return true;
        }
        return false;
    }

    public void Clear()
    {
        Array.Clear(_words, 0, _words.Length);
        Count = 0;
    }

    internal ulong Word(int i) => _words[i];
    internal int WordCount => _words.Length;

    internal static int TrailingZeros(ulong w)
    {
#if NET8_0_OR_GREATER
        return System.Numerics.BitOperations.TrailingZeroCount(w);
#else
        int n = 0;
        while ((w & 1) == 0) { w >>= 1; n++; }
        return n;
#endif
    }
}
