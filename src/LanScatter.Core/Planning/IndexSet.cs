namespace LanScatter.Core.Planning;

/// <summary>A set of small non-negative integers with O(1) add, remove and membership, and a list of its items.</summary>
internal sealed class IndexSet
{
    private readonly List<int> _items = new();
    private readonly List<int> _position = new(); // -1 when absent

    public int Count => _items.Count;
    public IReadOnlyList<int> Items => _items;

    public bool Contains(int i) => i < _position.Count && _position[i] >= 0;

    public void Add(int i)
    {
        while (_position.Count <= i) _position.Add(-1);
        if (_position[i] >= 0) return;
        _position[i] = _items.Count;
        _items.Add(i);
    }

    public void Remove(int i)
    {
        if (!Contains(i)) return;
        int at = _position[i], last = _items[_items.Count - 1];
        _items[at] = last;
        _position[last] = at;
        _items.RemoveAt(_items.Count - 1);
        _position[i] = -1;
    }

    public void Set(int i, bool member)
    {
        if (member) Add(i); else Remove(i);
    }

    public void Clear()
    {
        foreach (int i in _items) _position[i] = -1;
        _items.Clear();
    }
}
