using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

public class RelayPlanningTests
{
    private static SwarmPlanner Planner(int chunks, bool relays = true) =>
        new(Enumerable.Repeat(1000L, chunks).ToArray(), new PlannerOptions { RelayChunksInFlight = relays });

    // Peers relay only once they have finished a download of their own (their rate is known):
    // every peer gets one of the first chunks from the master, and those transfers complete.
    private static (SwarmPlanner P, int Master, int[] Peers, TimeSpan Now) Warmed(int peers, int chunks, int masterUploads)
    {
        var p = Planner(chunks);
        int master = p.AddNode(true, masterUploads, 0, Enumerable.Range(0, chunks));
        var ids = Enumerable.Range(0, peers).Select(_ => p.AddNode(false, 2, 2)).ToArray();
        var now = TimeSpan.Zero;
        var active = new List<TransferOrder>();
        while (ids.Any(i => p.CountOf(i) == 0) || active.Count > 0)
        {
            now += TimeSpan.FromMilliseconds(10);
            if (ids.Any(i => p.CountOf(i) == 0)) active.AddRange(p.Plan(now).Start);
            foreach (var t in active.Where(t => p.Has(t.Source, t.Chunk)).ToList())
            {
                p.TransferSucceeded(t.Id, 1000, 0.01, now);
                active.Remove(t);
            }
        }
        return (p, master, ids, now);
    }

    private static bool IsRelay(SwarmPlanner p, TransferOrder t) => !p.Has(t.Source, t.Chunk);

    // One planning call in a warmed swarm with one master slot: the master's transfer and its single relay.
    private static (TransferOrder First, TransferOrder Relay) FirstAndRelay(SwarmPlanner p, int master, TimeSpan now)
    {
        var plan = p.Plan(now).Start;
        return (Assert.Single(plan, t => t.Source == master), Assert.Single(plan, t => IsRelay(p, t)));
    }

    [Fact]
    public void A_peer_passes_on_a_chunk_it_is_still_receiving()
    {
        var (p, master, _, now) = Warmed(peers: 3, chunks: 20, masterUploads: 1);
        // In one planning call: the master sends a chunk and its receiver passes it on.
        var plan = p.Plan(now + TimeSpan.FromSeconds(2)).Start;
        var fromMaster = Assert.Single(plan, t => t.Source == master);
        Assert.Contains(plan, t => IsRelay(p, t) && t.Source == fromMaster.Target && t.Chunk == fromMaster.Chunk);
    }

    [Fact]
    public void Before_its_first_finished_download_a_peer_does_not_relay()
    {
        var p = Planner(1);
        p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(2)).Start);

        p.TransferSucceeded(first.Id, 1000, 0.1, TimeSpan.FromSeconds(2));
        var next = Assert.Single(p.Plan(TimeSpan.FromSeconds(2)).Start);
        Assert.Equal(first.Target, next.Source);
    }

    [Fact]
    public void Without_relays_a_peer_waits_until_the_chunk_is_whole()
    {
        var p = Planner(1, relays: false);
        p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        Assert.Single(p.Plan(TimeSpan.Zero).Start);
        Assert.Empty(p.Plan(TimeSpan.FromMilliseconds(1)).Start);
    }

    [Fact]
    public void When_the_upstream_fails_its_relays_are_aborted_without_blame()
    {
        var (p, master, _, now) = Warmed(peers: 4, chunks: 40, masterUploads: 1);
        now += TimeSpan.FromSeconds(2);
        var started = p.Plan(now).Start;
        var first = Assert.Single(started, t => t.Source == master);
        var relays = started.Where(t => t.Chunk == first.Chunk && t.Source != master).ToList(); // relays, and relays of relays
        Assert.NotEmpty(relays);

        p.TransferFailed(first.Id, now + TimeSpan.FromSeconds(1));
        var plan = p.Plan(now + TimeSpan.FromSeconds(1));
        var aborted = plan.Abort.Where(a => a.Transfer.Chunk == first.Chunk).ToList();
        Assert.Equal(relays.Select(t => t.Id).OrderBy(x => x), aborted.Select(a => a.Transfer.Id).OrderBy(x => x));
        Assert.All(aborted, a => Assert.Equal(AbortReason.UpstreamFailed, a.Reason));
        Assert.DoesNotContain(p.ActiveTransfers, t => !p.Has(t.Source, t.Chunk) && !p.ActiveTransfers.Any(u => u.Target == t.Source && u.Chunk == t.Chunk));
    }

    [Fact]
    public void A_relay_failing_before_its_upstream_does_not_blame_its_source()
    {
        var (p, master, _, now) = Warmed(peers: 2, chunks: 10, masterUploads: 1);
        now += TimeSpan.FromSeconds(2);
        var (first, relay) = FirstAndRelay(p, master, now);
        // The relay broke because its source's own bytes stopped coming; the source then gets the chunk.
        p.TransferFailed(relay.Id, now + TimeSpan.FromSeconds(1));
        p.TransferSucceeded(first.Id, 1000, 0.1, now + TimeSpan.FromSeconds(1));
        foreach (var t in p.ActiveTransfers.ToList()) p.TransferSucceeded(t.Id, 1000, 0.1, now + TimeSpan.FromSeconds(1));
        var again = p.Plan(now + TimeSpan.FromSeconds(1)).Start;
        Assert.Contains(again, t => t.Source == relay.Source && t.Target == relay.Target && t.Chunk == relay.Chunk);
    }

    [Fact]
    public void When_the_upstream_source_leaves_the_relays_of_its_chunk_are_aborted()
    {
        var (p, master, _, now) = Warmed(peers: 2, chunks: 10, masterUploads: 1);
        now += TimeSpan.FromSeconds(2);
        var (first, relay) = FirstAndRelay(p, master, now);

        Assert.Contains(p.RemoveNode(master), t => t.Id == first.Id);
        var abort = Assert.Single(p.Plan(now + TimeSpan.FromSeconds(1)).Abort);
        Assert.Equal(relay.Id, abort.Transfer.Id);
        Assert.Equal(AbortReason.UpstreamFailed, abort.Reason);
    }

    [Fact]
    public void A_peer_known_to_be_slow_passes_on_only_what_it_holds()
    {
        var p = Planner(40);
        p.AddNode(true, 2, 0, Enumerable.Range(0, 40));
        int slow = p.AddNode(false, 2, 2);
        var fast = Enumerable.Range(0, 4).Select(_ => p.AddNode(false, 2, 2)).ToList();
        var active = new List<TransferOrder>();
        var now = TimeSpan.Zero;
        int slowRelays = 0, fastRelays = 0;
        int steps = 0;
        for (; steps < 5000 && !fast.Append(slow).All(p.IsComplete); steps++)
        {
            now += TimeSpan.FromMilliseconds(10);
            bool slowKnown = p.IsSlowNode(slow);
            var plan = p.Plan(now);
            foreach (var a in plan.Abort) active.RemoveAll(t => t.Id == a.Transfer.Id);
            foreach (var t in plan.Start)
            {
                bool isRelay = !p.Has(t.Source, t.Chunk);
                if (isRelay && t.Source == slow && slowKnown) slowRelays++;
                if (isRelay && t.Source != slow) fastRelays++;
                active.Add(t);
            }
            // Finish one transfer whose source holds the chunk; anything touching the slow peer takes 50x longer.
            var done = active.FirstOrDefault(t => p.Has(t.Source, t.Chunk));
            if (done == default) continue;
            active.Remove(done);
            bool touchesSlow = done.Source == slow || done.Target == slow;
            p.TransferSucceeded(done.Id, 1000, touchesSlow ? 0.5 : 0.01, now);
        }
        Assert.True(p.IsSlowNode(slow), "the slow peer was not recognised");
        Assert.True(fast.Append(slow).All(p.IsComplete), $"not complete after {steps} steps");
        Assert.True(fastRelays > 0, "fast peers never relayed");
        Assert.Equal(0, slowRelays);
    }
}
