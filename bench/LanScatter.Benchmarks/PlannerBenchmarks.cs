using BenchmarkDotNet.Attributes;
using LanScatter.Core.Planning;

namespace LanScatter.Benchmarks;

/// <summary>
/// One re-plan in a big swarm: 1,000 peers × 10,000 chunks, each peer holding a random half. Each
/// operation is what the master does per event: a transfer completes, then it plans. A full pass
/// (timeouts, expired penalties) runs once per simulated second, i.e. every 1,000 operations.
/// </summary>
[MedianColumn]
public class PlannerBenchmarks
{
    private SwarmPlanner _planner = null!;
    private Queue<TransferOrder> _active = null!;
    private TimeSpan _now;

    [Params(1000)]
    public int Peers { get; set; }

    [Params(10_000)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _planner = new SwarmPlanner(Enumerable.Repeat(4L << 20, Chunks).ToArray());
        _planner.AddNode(true, 4, 0, Enumerable.Range(0, Chunks));
        for (int p = 0; p < Peers; p++) _planner.AddNode(false, 4, 4, Enumerable.Range(0, Chunks).Where(_ => random.Next(2) == 0));
        _active = new Queue<TransferOrder>(_planner.Plan(TimeSpan.Zero).Start);
        _now = TimeSpan.Zero;
    }

    [Benchmark]
    public int TransferDoneThenReplan()
    {
        _now += TimeSpan.FromMilliseconds(1);
        var done = _active.Dequeue();
        _planner.TransferSucceeded(done.Id, 4L << 20, 0.2, _now);
        var plan = _planner.Plan(_now);
        foreach (var t in plan.Start) _active.Enqueue(t);
        return plan.Start.Count;
    }
}
