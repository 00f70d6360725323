using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

public class SwarmPlannerTests
{
    private static SwarmPlanner Planner(int chunks, PlannerOptions? options = null) =>
        new(Enumerable.Repeat(1000L, chunks).ToArray(), options);

    // The master has 3 upload slots; peer n (nodes 1..) has 1 + (n-1) % 3 upload and 1 + (n-1) % 2 download slots.
    private static void AssertSlotLimits(PlannerTestSwarm swarm, List<int> peers, bool countEnding)
    {
        Assert.True(swarm.Uploads(0, countEnding) <= 3);
        foreach (int n in peers)
        {
            Assert.True(swarm.Uploads(n, countEnding) <= 1 + (n - 1) % 3, $"node {n} uploads too much");
            Assert.True(swarm.Downloads(n, countEnding) <= 1 + (n - 1) % 2, $"node {n} downloads too much");
        }
    }

    [Fact]
    public void A_lone_peer_is_fed_by_the_master_up_to_its_download_slots_once_its_first_chunk_came()
    {
        var p = Planner(10);
        int master = p.AddNode(isMaster: true, maxUploads: 4, maxDownloads: 0, Enumerable.Range(0, 10));
        int peer = p.AddNode(false, 2, 3);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferSucceeded(first.Id, 1000, 0.1, TimeSpan.FromSeconds(0.1));
        var plan = p.Plan(TimeSpan.FromSeconds(0.1));
        Assert.Equal(3, plan.Start.Count);
        Assert.All(plan.Start, t => { Assert.Equal(master, t.Source); Assert.Equal(peer, t.Target); });
        Assert.Equal(4, plan.Start.Select(t => t.Chunk).Append(first.Chunk).Distinct().Count());
    }

    [Fact]
    public void The_first_peer_to_join_takes_one_of_the_masters_uploads_and_peers_joining_a_moment_later_the_others()
    {
        var p = Planner(40);
        int master = p.AddNode(isMaster: true, maxUploads: 4, maxDownloads: 0, Enumerable.Range(0, 40));
        int first = p.AddNode(false, 4, 4);
        Assert.Equal(first, Assert.Single(p.Plan(TimeSpan.Zero).Start).Target);

        // Had the first taken all four, the others would wait for its chunks at its pace (a slow
        // peer's 6 s at the start of a swarm.sh run).
        var later = Enumerable.Range(0, 3).Select(_ => p.AddNode(false, 4, 4)).ToList();
        var plan = p.Plan(TimeSpan.FromSeconds(0.01));
        Assert.Equal(later.OrderBy(n => n), plan.Start.Where(t => t.Source == master).Select(t => t.Target).OrderBy(n => n));
    }

    [Fact]
    public void A_peer_holds_no_more_than_its_share_of_the_masters_uploads_even_with_slots_to_spare()
    {
        var p = Planner(40);
        int master = p.AddNode(isMaster: true, maxUploads: 4, maxDownloads: 0, Enumerable.Range(0, 40));
        int a = p.AddNode(false, 4, 4);
        int b = p.AddNode(false, 4, 1);
        foreach (var t in p.Plan(TimeSpan.Zero).Start) p.TransferSucceeded(t.Id, 1000, 0.1, TimeSpan.FromSeconds(0.1));
        // Two peers need chunks: each may hold two of the master's four uploads. b takes one (its only
        // download slot), and a does not take the fourth: it is kept for a receiver that needs it.
        var fromMaster = p.Plan(TimeSpan.FromSeconds(0.1)).Start.Where(t => t.Source == master).ToList();
        Assert.Equal(2, fromMaster.Count(t => t.Target == a));
        Assert.Equal(1, fromMaster.Count(t => t.Target == b));
    }

    [Fact]
    public void A_peer_measured_slow_holds_one_of_the_masters_uploads_while_others_need_chunks()
    {
        var p = Planner(200);
        int master = p.AddNode(isMaster: true, maxUploads: 4, maxDownloads: 0, Enumerable.Range(0, 200));
        int slow = p.AddNode(false, 4, 4);
        int fast = p.AddNode(false, 4, 4);
        // Every transfer ends before the next plan, the slow peer's at a tenth of the pace.
        var now = TimeSpan.Zero;
        PlanResult plan;
        for (int round = 0; ; round++)
        {
            now += TimeSpan.FromSeconds(1);
            plan = p.Plan(now);
            if (p.IsSlowNode(slow) || round == 10) break;
            foreach (var t in plan.Start) p.TransferSucceeded(t.Id, 1000, t.Target == slow ? 1.0 : 0.1, now);
        }
        Assert.True(p.IsSlowNode(slow), "the slow peer should be measured slow by now");
        // With two peers needing chunks a fast one may hold two of the master's uploads; the slow one
        // holds one, though the master and it have slots free.
        Assert.Equal(2, plan.Start.Count(t => t.Source == master && t.Target == fast));
        Assert.Equal(1, plan.Start.Count(t => t.Source == master && t.Target == slow));

        // Alone, one stream at a time would leave its link unfilled: it takes what its slots allow.
        p.RemoveNode(fast);
        Assert.True(p.IsSlowNode(slow));
        Assert.Equal(3, p.Plan(now + TimeSpan.FromSeconds(0.1)).Start.Count(t => t.Source == master && t.Target == slow)); // and the one running
    }

    [Fact]
    public void Rarest_chunk_first_counting_copies_in_flight()
    {
        var p = Planner(4);
        p.AddNode(true, 1, 0, new[] { 0, 1, 2, 3 });
        int a = p.AddNode(false, 1, 1, new[] { 0, 1, 2 });
        int b = p.AddNode(false, 1, 1, new[] { 0, 1, 2 });
        int c = p.AddNode(false, 1, 2);
        var plan = p.Plan(TimeSpan.Zero);
        // Chunk 3 exists only on the master: its single slot injects it; peers spread the rest.
        var fromMaster = Assert.Single(plan.Start, t => t.Source == 0);
        Assert.Equal(3, fromMaster.Chunk);
        Assert.Contains(plan.Start, t => t.Target == c && t.Source != 0);
        Assert.DoesNotContain(plan.Start, t => t.Target == a && t.Chunk != 3 || t.Target == b && t.Chunk != 3);
    }

    [Fact]
    public void A_leaving_peer_gets_no_new_uploads_and_its_running_ones_finish()
    {
        var (p, leaving, b) = SourcePeerAndReceiver();
        var first = p.Plan(TimeSpan.Zero);
        var fromLeaving = first.Start.Where(t => t.Source == leaving).ToList();
        Assert.Equal(2, fromLeaving.Count);

        p.StopUploadsFrom(leaving);
        Assert.DoesNotContain(p.Plan(TimeSpan.FromSeconds(0.1)).Abort, a => fromLeaving.Any(t => t.Id == a.Transfer.Id));
        foreach (var t in first.Start) p.TransferSucceeded(t.Id, 1000, 0.1, TimeSpan.FromSeconds(0.2));
        // b still needs chunks the leaving peer has: they now come from the master only.
        CompletesWithout(p, b, leaving);
    }

    // Six chunks: the master (one upload slot) and a peer holding all of them (two upload slots), and
    // an empty receiver with four download slots, so the first plan takes two chunks from the peer.
    private static (SwarmPlanner P, int Source, int Receiver) SourcePeerAndReceiver()
    {
        var p = Planner(6);
        p.AddNode(true, 1, 0, Enumerable.Range(0, 6));
        int source = p.AddNode(false, 2, 1, Enumerable.Range(0, 6));
        int receiver = p.AddNode(false, 1, 4);
        return (p, source, receiver);
    }

    // Plans and finishes transfers until the node holds every chunk, none of them from the excluded one.
    private static void CompletesWithout(SwarmPlanner p, int node, int excluded)
    {
        for (int step = 0; step < 10 && !p.IsComplete(node); step++)
        {
            var plan = p.Plan(TimeSpan.FromSeconds(0.3 + step));
            Assert.DoesNotContain(plan.Start, t => t.Source == excluded);
            foreach (var t in plan.Start) p.TransferSucceeded(t.Id, 1000, 0.1, TimeSpan.FromSeconds(0.35 + step));
        }
        Assert.True(p.IsComplete(node));
    }

    [Fact]
    public void A_peer_that_left_after_saying_so_keeps_its_last_uploads_until_their_receivers_report_them()
    {
        var (p, leaving, b) = SourcePeerAndReceiver();
        var first = p.Plan(TimeSpan.Zero).Start;
        var fromLeaving = first.Where(t => t.Source == leaving).ToList();
        Assert.Equal(2, fromLeaving.Count);
        foreach (var t in first.Where(t => t.Source != leaving)) p.TransferSucceeded(t.Id, 1000, 0.1, TimeSpan.FromSeconds(0.05));

        // Its uploads were written and it went; their last bytes may still be on the wire.
        p.StopUploadsFrom(leaving);
        Assert.Empty(p.RemoveNode(leaving, keepUploads: true));
        var after = p.Plan(TimeSpan.FromSeconds(0.1));
        Assert.DoesNotContain(after.Abort, a => fromLeaving.Any(t => t.Id == a.Transfer.Id));
        Assert.Equal(fromLeaving.Select(t => t.Id).OrderBy(id => id), p.ActiveTransfers.Where(t => t.Source == leaving).Select(t => t.Id).OrderBy(id => id));
        foreach (var t in after.Start) p.TransferSucceeded(t.Id, 1000, 0.1, TimeSpan.FromSeconds(0.15));
        p.TransferSucceeded(fromLeaving[0].Id, 1000, 0.1, TimeSpan.FromSeconds(0.2));
        Assert.True(p.Has(b, fromLeaving[0].Chunk));
        p.TransferFailed(fromLeaving[1].Id, TimeSpan.FromSeconds(0.2));
        // The failed one is fetched again, from the master: the peer that left is never a source again.
        CompletesWithout(p, b, leaving);
    }

    [Fact]
    public void A_peer_that_vanished_without_saying_it_was_leaving_has_its_uploads_dropped()
    {
        var (p, gone, _) = SourcePeerAndReceiver();
        var fromGone = p.Plan(TimeSpan.Zero).Start.Where(t => t.Source == gone).Select(t => t.Id).OrderBy(id => id).ToList();
        Assert.Equal(2, fromGone.Count);
        Assert.Equal(fromGone, p.RemoveNode(gone).Select(t => t.Id).OrderBy(id => id));
    }

    [Fact]
    public void An_ending_transfer_frees_its_slots_for_the_next_order_and_keeps_its_chunk_reserved()
    {
        var p = Planner(3);
        int master = p.AddNode(true, 1, 0, Enumerable.Range(0, 3));
        int peer = p.AddNode(false, 0, 1);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(0.1)).Start);

        p.TransferEnding(first.Id, TimeSpan.FromSeconds(0.2));
        var next = Assert.Single(p.Plan(TimeSpan.FromSeconds(0.2)).Start);
        Assert.Equal((master, peer), (next.Source, next.Target));
        Assert.NotEqual(first.Chunk, next.Chunk);

        // Ending twice or finishing does not free the slots again.
        p.TransferEnding(first.Id, TimeSpan.FromSeconds(0.25));
        p.TransferSucceeded(first.Id, 1000, 0.3, TimeSpan.FromSeconds(0.3));
        Assert.True(p.Has(peer, first.Chunk));
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(0.3)).Start);
    }

    [Fact]
    public void A_chunk_whose_ending_transfer_fails_is_fetched_again()
    {
        var p = Planner(2);
        p.AddNode(true, 1, 0, Enumerable.Range(0, 2));
        int peer = p.AddNode(false, 0, 1);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferEnding(first.Id, TimeSpan.FromSeconds(0.1));
        var second = Assert.Single(p.Plan(TimeSpan.FromSeconds(0.1)).Start);
        p.TransferFailed(first.Id, TimeSpan.FromSeconds(0.2), sourceAtFault: false);
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(0.2)).Start); // the one slot is taken by the second
        p.TransferSucceeded(second.Id, 1000, 0.2, TimeSpan.FromSeconds(0.3));
        var retry = Assert.Single(p.Plan(TimeSpan.FromSeconds(0.3)).Start);
        Assert.Equal(first.Chunk, retry.Chunk);
        p.TransferSucceeded(retry.Id, 1000, 0.2, TimeSpan.FromSeconds(0.4));
        Assert.True(p.IsComplete(peer));
    }

    [Fact]
    public void With_pipelining_every_peer_completes_and_slots_hold_apart_from_ending_transfers()
    {
        var swarm = new PlannerTestSwarm(chunks: 40, seed: 11);
        var p = swarm.Planner;
        p.AddNode(true, 3, 0, Enumerable.Range(0, 40));
        var peers = Enumerable.Range(0, 10).Select(i => p.AddNode(false, 1 + i % 3, 1 + i % 2)).ToList();
        for (int step = 0; step < 3000 && !peers.All(p.IsComplete); step++)
        {
            swarm.Step(failRate: 0.05, endingRate: 0.5);
            AssertSlotLimits(swarm, peers, countEnding: false);
        }
        Assert.All(peers, n => Assert.True(p.IsComplete(n), $"peer {n} did not complete"));
        Assert.True(swarm.EndingsAnnounced > 100, $"only {swarm.EndingsAnnounced} transfers announced their end");
    }

    [Fact]
    public void Peers_serve_each_other_before_the_master_serves_what_peers_have()
    {
        var p = Planner(2);
        p.AddNode(true, 4, 0, new[] { 0, 1 });
        int a = p.AddNode(false, 1, 1, new[] { 0 });
        int b = p.AddNode(false, 1, 2);
        var plan = p.Plan(TimeSpan.Zero);
        // The master's uplink feeds chunk 1 (which no peer has); chunk 0 comes from peer a.
        Assert.Contains(plan.Start, t => t.Source == a && t.Target == b && t.Chunk == 0);
        Assert.Contains(plan.Start, t => t.Source == 0 && t.Chunk == 1);
        Assert.DoesNotContain(plan.Start, t => t.Source == 0 && t.Chunk == 0);
    }

    [Fact]
    public void Slots_are_never_exceeded_and_no_chunk_is_fetched_twice_into_one_node()
    {
        var swarm = new PlannerTestSwarm(chunks: 40, seed: 7);
        var p = swarm.Planner;
        p.AddNode(true, 3, 0, Enumerable.Range(0, 40));
        var peers = Enumerable.Range(0, 12).Select(i => p.AddNode(false, 1 + i % 3, 1 + i % 2)).ToList();
        for (int step = 0; step < 2000; step++)
        {
            swarm.Step(failRate: 0.1);
            AssertSlotLimits(swarm, peers, countEnding: true);
        }
    }

    [Fact]
    public void Every_peer_completes_with_failures_and_late_joiners()
    {
        var swarm = new PlannerTestSwarm(chunks: 64, seed: 3);
        var p = swarm.Planner;
        p.AddNode(true, 2, 0, Enumerable.Range(0, 64));
        var peers = Enumerable.Range(0, 6).Select(_ => p.AddNode(false, 2, 2)).ToList();
        for (int i = 0; i < 50; i++) swarm.Step(failRate: 0.2);
        peers.Add(p.AddNode(false, 2, 2)); // joins late
        Assert.True(swarm.RunUntilComplete(peers, 20_000, failRate: 0.2));
    }

    [Fact]
    public void Peers_complete_after_the_master_leaves_if_they_hold_every_chunk_between_them()
    {
        var swarm = new PlannerTestSwarm(chunks: 8, seed: 5);
        var p = swarm.Planner;
        int master = p.AddNode(true, 2, 0, Enumerable.Range(0, 8));
        int a = p.AddNode(false, 2, 2, new[] { 0, 1, 2, 3 });
        int b = p.AddNode(false, 2, 2, new[] { 4, 5, 6, 7 });
        int c = p.AddNode(false, 2, 2);
        swarm.Leave(master);
        Assert.True(swarm.RunUntilComplete(new[] { a, b, c }, 1000));
        Assert.All(swarm.Plans.SelectMany(x => x.Start), t => Assert.NotEqual(master, t.Source));
    }

    [Fact]
    public void A_departed_node_is_never_a_source_and_its_transfers_are_dropped()
    {
        var swarm = new PlannerTestSwarm(chunks: 20, seed: 11);
        var p = swarm.Planner;
        p.AddNode(true, 2, 0, Enumerable.Range(0, 20));
        var peers = Enumerable.Range(0, 5).Select(_ => p.AddNode(false, 2, 2)).ToList();
        for (int i = 0; i < 30; i++) swarm.Step();
        int leaving = peers[2];
        swarm.Leave(leaving);
        Assert.DoesNotContain(p.ActiveTransfers, t => t.Source == leaving || t.Target == leaving);
        peers.Remove(leaving);
        Assert.True(swarm.RunUntilComplete(peers, 5000)); // Step asserts no departed node is used
    }

    [Fact]
    public void Plans_are_deterministic_for_a_seed()
    {
        string Run(int seed)
        {
            var swarm = new PlannerTestSwarm(chunks: 30, seed: seed);
            swarm.Planner.AddNode(true, 2, 0, Enumerable.Range(0, 30));
            for (int i = 0; i < 8; i++) swarm.Planner.AddNode(false, 2, 2);
            for (int i = 0; i < 300; i++) swarm.Step(failRate: 0.05);
            return string.Join(";", swarm.Plans.SelectMany(p => p.Start).Select(t => $"{t.Source}>{t.Target}:{t.Chunk}"));
        }
        Assert.Equal(Run(42), Run(42));
        Assert.NotEqual(Run(42), Run(43));
    }

    [Fact]
    public void After_a_failure_the_retry_goes_to_another_source()
    {
        var p = Planner(1);
        int a = p.AddNode(false, 1, 0, new[] { 0 });
        int b = p.AddNode(false, 1, 0, new[] { 0 });
        int c = p.AddNode(false, 0, 1);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferFailed(first.Id, TimeSpan.FromSeconds(1));
        var retry = Assert.Single(p.Plan(TimeSpan.FromSeconds(1)).Start);
        Assert.Equal(c, retry.Target);
        Assert.NotEqual(first.Source, retry.Source);
        Assert.Contains(retry.Source, new[] { a, b });
    }

    [Fact]
    public void The_only_source_is_retried_once_its_penalty_expires()
    {
        var options = new PlannerOptions { FailurePenalty = TimeSpan.FromSeconds(10) };
        var p = Planner(1, options);
        int a = p.AddNode(false, 1, 0, new[] { 0 });
        p.AddNode(false, 0, 1);
        var first = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferFailed(first.Id, TimeSpan.FromSeconds(1));
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(2)).Start);
        var retry = Assert.Single(p.Plan(TimeSpan.FromSeconds(12)).Start);
        Assert.Equal(a, retry.Source);
    }

    [Fact]
    public void A_transfer_without_progress_is_aborted()
    {
        var p = Planner(1, new PlannerOptions { NoProgressTimeout = TimeSpan.FromSeconds(30) });
        p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 0, 1);
        var t = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferProgress(t.Id, TimeSpan.FromSeconds(20));
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(40)).Abort);
        var abort = Assert.Single(p.Plan(TimeSpan.FromSeconds(51)).Abort);
        Assert.Equal(AbortReason.NoProgress, abort.Reason);
        Assert.DoesNotContain(p.ActiveTransfers, x => x.Id == t.Id);
    }

    [Fact]
    public void Reports_of_the_same_byte_count_are_not_progress_so_a_stalled_transfer_is_still_aborted()
    {
        var p = Planner(1, new PlannerOptions { NoProgressTimeout = TimeSpan.FromSeconds(30) });
        p.AddNode(true, 1, 0, new[] { 0 });
        p.AddNode(false, 0, 1);
        var t = Assert.Single(p.Plan(TimeSpan.Zero).Start);
        p.TransferProgress(t.Id, TimeSpan.FromSeconds(5), 65536);
        for (int s = 6; s <= 40; s++) p.TransferProgress(t.Id, TimeSpan.FromSeconds(s), 65536); // a report a second, nothing new
        var abort = Assert.Single(p.Plan(TimeSpan.FromSeconds(41)).Abort);
        Assert.Equal(AbortReason.NoProgress, abort.Reason);
    }

    [Fact]
    public void A_slow_source_is_aborted_but_a_slow_receiver_is_not()
    {
        var options = new PlannerOptions { MinTransferTime = TimeSpan.FromSeconds(1), NoProgressTimeout = TimeSpan.FromHours(1) };
        var p = new SwarmPlanner(Enumerable.Repeat(1_000_000L, 50).ToArray(), options);
        int fast1 = p.AddNode(false, 5, 0, Enumerable.Range(0, 50));
        int slowReceiver = p.AddNode(false, 0, 1);
        int fastReceiver = p.AddNode(false, 0, 1);
        // Teach the planner the swarm's speeds: 10 MB/s is normal, the slow receiver does 0.1 MB/s.
        var now = TimeSpan.Zero;
        for (int i = 0; i < 5; i++)
        {
            var plan = p.Plan(now);
            foreach (var t in plan.Start)
                p.TransferSucceeded(t.Id, 1_000_000, t.Target == slowReceiver ? 10 : 0.1, now);
            now += TimeSpan.FromSeconds(1);
        }
        // Now both wait far longer than 4x the expected 0.1 s.
        var pending = p.Plan(now).Start;
        Assert.Equal(2, pending.Count);
        var aborts = p.Plan(now + TimeSpan.FromSeconds(5)).Abort;
        var abort = Assert.Single(aborts);
        Assert.Equal(fastReceiver, abort.Transfer.Target);
        Assert.Equal(AbortReason.SlowSource, abort.Reason);
        Assert.Equal(fast1, abort.Transfer.Source);
    }

    [Fact]
    public void A_receiver_that_finished_nothing_is_not_blamed_on_its_sources_until_one_transfer_runs_normally()
    {
        const long chunk = 10_000_000;
        var options = new PlannerOptions { MinTransferTime = TimeSpan.FromSeconds(1), SlowTransferFactor = 1, NoProgressTimeout = TimeSpan.FromHours(1) };
        var p = new SwarmPlanner(Enumerable.Repeat(chunk, 50).ToArray(), options);
        int source = p.AddNode(false, 5, 0, Enumerable.Range(0, 50));
        p.AddNode(false, 0, 1);
        // Its transfers set the swarm's normal rate: 2 MB/s per transfer.
        var now = TimeSpan.Zero;
        for (int i = 0; i < 5; i++)
        {
            foreach (var t in p.Plan(now).Start) p.TransferSucceeded(t.Id, chunk, 5, now);
            now += TimeSpan.FromSeconds(1);
        }
        int newcomer = p.AddNode(false, 0, 2);
        var mine = p.Plan(now).Start.Where(t => t.Target == newcomer).ToList();
        Assert.Equal(2, mine.Count);

        // Both of its transfers crawl (10 kB/s): it is the slow end, so no source is blamed.
        for (int s = 1; s <= 7; s++) foreach (var t in mine) p.TransferProgress(t.Id, now + TimeSpan.FromSeconds(s), 10_000 * s);
        Assert.DoesNotContain(p.Plan(now + TimeSpan.FromSeconds(7)).Abort, a => a.Transfer.Target == newcomer);

        // One of them turns out to run at a normal rate (and is about to end): the other one's
        // source is the slow end.
        p.TransferProgress(mine[0].Id, now + TimeSpan.FromSeconds(8), 8_000_000);
        p.TransferEnding(mine[0].Id, now + TimeSpan.FromSeconds(8));
        p.TransferProgress(mine[1].Id, now + TimeSpan.FromSeconds(8), 80_000);
        var abort = Assert.Single(p.Plan(now + TimeSpan.FromSeconds(9)).Abort, a => a.Transfer.Target == newcomer);
        Assert.Equal(mine[1].Id, abort.Transfer.Id);
        Assert.Equal(AbortReason.SlowSource, abort.Reason);
        Assert.Equal(source, abort.Transfer.Source);
    }

    [Fact]
    public void A_node_with_nothing_to_offer_gets_no_uploads()
    {
        var p = Planner(3);
        p.AddNode(false, 2, 2, new[] { 0 });
        p.AddNode(false, 2, 2, new[] { 0 });
        Assert.Empty(p.Plan(TimeSpan.Zero).Start);
    }
}
