using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

/// <summary>
/// Drives a planner with random but reproducible events and checks its invariants after every pass.
/// Like real transfers, a relay (its source still receiving the chunk) can fail at any time but can
/// only succeed once its source has the chunk.
/// </summary>
internal sealed class PlannerTestSwarm
{
    private readonly Random _random;
    private readonly Dictionary<long, TransferOrder> _active = new();
    private readonly HashSet<int> _departed = new();
    private readonly HashSet<long> _ending = new();

    /// <param name="wholeFiles">Every chunk is a small file of its own, so the planner bundles them.</param>
    public PlannerTestSwarm(int chunks, int seed, PlannerOptions? options = null, bool wholeFiles = false)
    {
        _random = new Random(seed);
        Planner = new SwarmPlanner(Enumerable.Repeat(1000L, chunks).ToArray(), options ?? new PlannerOptions { Seed = seed },
            wholeFiles ? Enumerable.Repeat(true, chunks).ToArray() : null);
    }

    public SwarmPlanner Planner { get; }
    public TimeSpan Now { get; private set; }
    public List<PlanResult> Plans { get; } = new();
    public IReadOnlyCollection<TransferOrder> Active => _active.Values;

    /// <summary>How many transfers announced their end before finishing (only with an ending rate).</summary>
    public int EndingsAnnounced { get; private set; }

    public void Leave(int node)
    {
        foreach (var t in Planner.RemoveNode(node)) _active.Remove(t.Id);
        _departed.Add(node);
    }

    /// <param name="endingRate">Chance per step that a running transfer announces its end first (pipelining).</param>
    public void Step(double failRate = 0, double endingRate = 0)
    {
        Now += TimeSpan.FromMilliseconds(100);
        if (_active.Count > 0 && _random.NextDouble() < endingRate)
        {
            var open = _active.Values.Where(t => !_ending.Contains(t.Id)).ToList();
            if (open.Count > 0)
            {
                var t = open[_random.Next(open.Count)];
                _ending.Add(t.Id);
                Planner.TransferEnding(t.Id, Now);
                EndingsAnnounced++;
            }
        }
        if (_active.Count > 0)
        {
            bool fail = _random.NextDouble() < failRate;
            var candidates = fail ? _active.Values.ToList() : _active.Values.Where(t => Planner.Has(t.Source, t.Chunk)).ToList();
            if (candidates.Count > 0)
            {
                var t = candidates[_random.Next(candidates.Count)];
                _active.Remove(t.Id);
                _ending.Remove(t.Id);
                if (fail) Planner.TransferFailed(t.Id, Now);
                else Planner.TransferSucceeded(t.Id, 1000, 0.01, Now);
            }
        }
        var plan = Planner.Plan(Now);
        Plans.Add(plan);
        foreach (var a in plan.Abort) { _active.Remove(a.Transfer.Id); _ending.Remove(a.Transfer.Id); }
        foreach (var s in plan.Start)
        {
            Assert.True(Planner.Has(s.Source, s.Chunk) || Receiving(s.Source, s.Chunk), $"source {s.Source} neither has nor receives chunk {s.Chunk}");
            Assert.False(Planner.Has(s.Target, s.Chunk), $"target {s.Target} already has chunk {s.Chunk}");
            Assert.DoesNotContain(s.Source, _departed);
            Assert.DoesNotContain(s.Target, _departed);
            _active.Add(s.Id, s);
        }
        CheckInvariants();
    }

    public void CheckInvariants()
    {
        // Never two transfers of one chunk into one node at once.
        var pairs = _active.Values.GroupBy(t => (t.Target, t.Chunk)).Where(g => g.Count() > 1).ToList();
        Assert.Empty(pairs);
        Assert.Equal(_active.Keys.OrderBy(x => x), Planner.ActiveTransfers.Select(t => t.Id).OrderBy(x => x));
        // No orphaned relay: whoever passes a chunk on has it or is still receiving it.
        foreach (var t in _active.Values)
            Assert.True(Planner.Has(t.Source, t.Chunk) || Receiving(t.Source, t.Chunk), $"relay {t.Id} lost its upstream");
    }

    private bool Receiving(int node, int chunk) => _active.Values.Any(t => t.Target == node && t.Chunk == chunk);

    public bool RunUntilComplete(IEnumerable<int> peers, int maxSteps, double failRate = 0)
    {
        var list = peers.ToList();
        for (int i = 0; i < maxSteps; i++)
        {
            if (list.All(p => Planner.IsComplete(p))) return true;
            Step(failRate);
        }
        return list.All(p => Planner.IsComplete(p));
    }

    public int Uploads(int node, bool countEnding = true) => _active.Values.Count(t => t.Source == node && (countEnding || !_ending.Contains(t.Id)));
    public int Downloads(int node, bool countEnding = true) => _active.Values.Count(t => t.Target == node && (countEnding || !_ending.Contains(t.Id)));
}
