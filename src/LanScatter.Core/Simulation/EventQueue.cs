namespace LanScatter.Core.Simulation;

/// <summary>
/// Min-heap of events by (time, sequence): equal times come out in the order they went in, so a
/// simulation is deterministic. (PriorityQueue is not available on netstandard2.0.)
/// </summary>
internal sealed class EventQueue<T>
{
    private readonly List<(double Time, long Seq, T Item)> _heap = new();
    private long _seq;

    public int Count => _heap.Count;

    public void Enqueue(double time, T item)
    {
        _heap.Add((time, _seq++, item));
        int i = _heap.Count - 1;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Less(i, parent)) break;
            Swap(i, parent);
            i = parent;
        }
    }

    public (double Time, T Item) Dequeue()
    {
        var top = _heap[0];
        int last = _heap.Count - 1;
        _heap[0] = _heap[last];
        _heap.RemoveAt(last);
        int i = 0;
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, smallest = i;
            if (l < _heap.Count && Less(l, smallest)) smallest = l;
            if (r < _heap.Count && Less(r, smallest)) smallest = r;
            if (smallest == i) break;
            Swap(i, smallest);
            i = smallest;
        }
        return (top.Time, top.Item);
    }

    private bool Less(int a, int b) => _heap[a].Time < _heap[b].Time || (_heap[a].Time == _heap[b].Time && _heap[a].Seq < _heap[b].Seq);

    private void Swap(int a, int b) => (_heap[a], _heap[b]) = (_heap[b], _heap[a]);
}
