using LanScatter.Core.Planning;

namespace LanScatter.Core.Simulation;

/// <summary>
/// Max-min fair rates of flows over host links, found by progressive filling: the link whose open
/// flows can each get the least is shared equally among them, those flows keep that rate, and the
/// others share what their links have left, link by link. Long-lived TCP flows settle about so when
/// the host links are the bottlenecks (a switched LAN). Reuses its buffers between calls.
/// </summary>
internal sealed class MaxMinRates
{
    private double[] _left = Array.Empty<double>();
    private int[] _open = Array.Empty<int>();
    private int[] _start = Array.Empty<int>();
    private int[] _members = Array.Empty<int>();
    private bool[] _fixed = Array.Empty<bool>();
    private (double Share, int Link)[] _heap = Array.Empty<(double, int)>();
    private int _heapCount;

    /// <param name="up">Upload capacity of each host.</param>
    /// <param name="down">Download capacity of each host.</param>
    /// <param name="source">Each flow's sending host.</param>
    /// <param name="target">Each flow's receiving host.</param>
    /// <param name="rates">Receives each flow's rate.</param>
    public void Compute(ReadOnlySpan<double> up, ReadOnlySpan<double> down, ReadOnlySpan<int> source, ReadOnlySpan<int> target, Span<double> rates)
    {
        int hosts = up.Length, flows = source.Length;
        if (down.Length != hosts || target.Length != flows || rates.Length != flows) throw new ArgumentException("Mismatched lengths.");
        // Links 0..hosts-1 are uplinks, hosts..2*hosts-1 downlinks.
        int links = 2 * hosts;
        ScratchArray.Grow(ref _left, links);
        ScratchArray.Grow(ref _open, links);
        ScratchArray.Grow(ref _start, links + 1);
        ScratchArray.Grow(ref _members, 2 * flows);
        ScratchArray.Grow(ref _fixed, flows);

        Array.Clear(_open, 0, links);
        for (int f = 0; f < flows; f++)
        {
            _open[source[f]]++;
            _open[hosts + target[f]]++;
        }
        _start[0] = 0;
        for (int l = 0; l < links; l++) _start[l + 1] = _start[l] + _open[l];
        // Fill each link's member list, using _left as the write cursor for now.
        for (int l = 0; l < links; l++) _left[l] = _start[l];
        for (int f = 0; f < flows; f++)
        {
            _members[(int)_left[source[f]]++] = f;
            _members[(int)_left[hosts + target[f]]++] = f;
            _fixed[f] = false;
        }
        for (int h = 0; h < hosts; h++)
        {
            _left[h] = up[h];
            _left[hosts + h] = down[h];
        }

        // Links by the share each open flow could get, smallest first. A link's share only grows as
        // flows elsewhere are fixed (each takes at most that link's share), so an entry made stale by
        // a change is left in place and skipped when it comes up; the link's new share is pushed.
        _heapCount = 0;
        for (int l = 0; l < links; l++) if (_open[l] > 0) Push(_left[l] / _open[l], l);
        while (_heapCount > 0)
        {
            var (share, tightest) = Pop();
            if (_open[tightest] == 0 || share != _left[tightest] / _open[tightest]) continue;
            double level = Math.Max(0, share);
            for (int m = _start[tightest]; m < _start[tightest + 1]; m++)
            {
                int f = _members[m];
                if (_fixed[f]) continue;
                _fixed[f] = true;
                rates[f] = level;
                Take(source[f], level, tightest);
                Take(hosts + target[f], level, tightest);
            }
        }
    }

    // A flow on this link was fixed at `level`: the link's other flows share what is left.
    private void Take(int link, double level, int fixing)
    {
        _left[link] -= level;
        _open[link]--;
        if (link != fixing && _open[link] > 0) Push(_left[link] / _open[link], link);
    }

    // A binary min-heap on (share, link); netstandard2.0 has no PriorityQueue.
    private void Push(double share, int link)
    {
        if (_heapCount == _heap.Length) Array.Resize(ref _heap, Math.Max(64, 2 * _heap.Length));
        int i = _heapCount++;
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (_heap[parent].CompareTo((share, link)) <= 0) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = (share, link);
    }

    private (double Share, int Link) Pop()
    {
        var top = _heap[0];
        var last = _heap[--_heapCount];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _heapCount) break;
            if (child + 1 < _heapCount && _heap[child + 1].CompareTo(_heap[child]) < 0) child++;
            if (last.CompareTo(_heap[child]) <= 0) break;
            _heap[i] = _heap[child];
            i = child;
        }
        _heap[i] = last;
        return top;
    }
}
