using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

public class RelayPlanningTests
{
    private static SwarmPlanner Planner(int chunks, bool relays = true) =>
        new(Enumerable.Repeat(1000L, chunks).ToArray(), new PlannerOptions { RelayChunksInFlight = relays });

    [Fact]
    public void A_peer_passes_on_a_chunk_it_is_still_receiving()
    {
        var p = Planner(1);
        int master = p.AddNode(true, 1, 0, new[] { 0 });
        int a = p.AddNode(false, 2, 2);
        int b = p.AddNode(false, 2, 2);
        // In the same planning call: the master sends the chunk, and its receiver passes it on.
        var plan = p.Plan(TimeSpan.Zero).Start;
        Assert.Equal(2, plan.Count);
        var first = Assert.Single(plan, t => t.Source == master);
        var relay = Assert.Single(plan, t => t.Source != master);
        Assert.Equal(first.Target, relay.Source);
        Assert.Equal(first.Target == a ? b : a, relay.Target);
        Assert.Equal(0, relay.Chunk);
    }

    [Fact]
    public void Without_relays_a_peer_waits_until_the_chunk_is_whole()
    {
        var p = Planner(1, relays: false);
        p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        Assert.Empty(p.Plan(TimeSpan.FromMilliseconds(1)).Start);

        p.TransferSucceeded(first.Id, 1000, 0.1, TimeSpan.FromSeconds(0.1));
        var next = Assert.Single(p.Plan(TimeSpan.FromSeconds(0.1)).Start);
        Assert.Equal(first.Target, next.Source);
    }

    [Fact]
    public void A_held_chunk_is_sent_before_an_equally_rare_one_still_arriving()
    {
        var p = Planner(3);
        p.AddNode(true, 1, 0, new[] { 0, 1, 2 });
        int a = p.AddNode(false, 1, 1, new[] { 1 });
        int b = p.AddNode(false, 1, 1, new[] { 2 });
        var plan = p.Plan(TimeSpan.Zero).Start;
        var fromMaster = Assert.Single(plan, t => t.Source == 0); // chunk 0: nobody has it
        Assert.Equal(0, fromMaster.Chunk);
        // a and b each hold one chunk (1 copy); chunk 0 is arriving at one of them (1 copy): the
        // receiver's single upload slot goes to its held chunk first.
        var fromReceiver = Assert.Single(plan, t => t.Source == fromMaster.Target);
        Assert.NotEqual(0, fromReceiver.Chunk);
    }

    [Fact]
    public void When_the_upstream_fails_its_relays_are_aborted_without_blame()
    {
        var p = Planner(1);
        int master = p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        var started = p.Plan(TimeSpan.Zero).Start;
        var first = Assert.Single(started, t => t.Source == master);
        var all = started.Where(t => t.Source != master).ToList(); // relays, and relays of relays
        Assert.Equal(2, all.Count);

        p.TransferFailed(first.Id, TimeSpan.FromSeconds(1));
        var plan = p.Plan(TimeSpan.FromSeconds(1));
        Assert.Equal(all.Select(t => t.Id).OrderBy(x => x), plan.Abort.Select(a => a.Transfer.Id).OrderBy(x => x));
        Assert.All(plan.Abort, a => Assert.Equal(AbortReason.UpstreamFailed, a.Reason));

        // The master sends the chunk again and the new receiver relays it to both other peers at
        // once (the first receiver, whose own transfer failed, is avoided by nobody but the master).
        var retry = Assert.Single(plan.Start, t => t.Source == master);
        Assert.NotEqual(first.Target, retry.Target);
        Assert.Equal(2, plan.Start.Count(t => t.Source != master));
        Assert.DoesNotContain(p.ActiveTransfers, t => !p.Has(t.Source, t.Chunk) && !p.ActiveTransfers.Any(u => u.Target == t.Source && u.Chunk == t.Chunk));
    }

    [Fact]
    public void A_relay_failing_before_its_upstream_does_not_blame_its_source()
    {
        var p = Planner(1);
        int master = p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        var plan = p.Plan(TimeSpan.Zero).Start;
        var first = Assert.Single(plan, t => t.Source == master);
        var relay = Assert.Single(plan, t => t.Source != master);
        p.TransferFailed(relay.Id, TimeSpan.FromSeconds(1)); // its source's bytes stopped coming
        p.TransferSucceeded(first.Id, 1000, 0.1, TimeSpan.FromSeconds(1));
        var again = Assert.Single(p.Plan(TimeSpan.FromSeconds(1)).Start);
        Assert.Equal(relay.Source, again.Source);
        Assert.Equal(relay.Target, again.Target);
    }

    [Fact]
    public void When_the_upstream_source_leaves_the_relays_of_its_chunk_are_aborted()
    {
        var p = Planner(1);
        int master = p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 2, 2);
        p.AddNode(false, 2, 2);
        var plan = p.Plan(TimeSpan.Zero).Start;
        var first = Assert.Single(plan, t => t.Source == master);
        var relay = Assert.Single(plan, t => t.Source != master);

        Assert.Equal(first.Id, Assert.Single(p.RemoveNode(master)).Id);
        var abort = Assert.Single(p.Plan(TimeSpan.FromSeconds(1)).Abort);
        Assert.Equal(relay.Id, abort.Transfer.Id);
        Assert.Equal(AbortReason.UpstreamFailed, abort.Reason);
        Assert.Empty(p.ActiveTransfers);
    }
}
