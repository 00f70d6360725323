using LanScatter.Core.Planning;

namespace LanScatter.Tests.Planning;

/// <summary>Small whole files travel many to an order (a bundle) that holds one slot at each end.</summary>
public class BundlePlanningTests
{
    private const long Small = 2_000;

    // `count` chunks of `bytes`, all whole files unless `wholeFiles` says otherwise.
    private static SwarmPlanner Planner(int count, long bytes = Small, PlannerOptions? options = null, bool[]? wholeFiles = null) =>
        new(Enumerable.Repeat(bytes, count).ToArray(), options, wholeFiles ?? Enumerable.Repeat(true, count).ToArray());

    private static List<List<TransferOrder>> Bundles(PlanResult plan) =>
        plan.Start.GroupBy(t => t.Bundle == 0 ? -t.Id : t.Bundle).Select(g => g.ToList()).ToList();

    [Fact]
    public void Small_files_go_to_a_lone_peer_in_bundles_of_at_most_the_limit_one_per_download_slot()
    {
        var p = Planner(1200);
        int master = p.AddNode(true, 4, 0, Enumerable.Range(0, 1200));
        int peer = p.AddNode(false, 2, 3);
        // Until a first bundle has come, the peer holds one of the master's uploads (SwarmPlanner.MasterShareOf).
        var first = Assert.Single(Bundles(p.Plan(TimeSpan.Zero)));
        foreach (var t in first) p.TransferSucceeded(t.Id, Small, 0.1, TimeSpan.FromSeconds(0.1));

        var bundles = Bundles(p.Plan(TimeSpan.FromSeconds(0.1)));

        Assert.Equal(3, bundles.Count); // three download slots, one bundle each
        Assert.All(bundles, b =>
        {
            Assert.Equal(new PlannerOptions().BundleMaxChunks, b.Count);
            Assert.Equal(b[0].Id, b[0].Bundle); // the first order names the bundle
            Assert.All(b, t => { Assert.Equal(b[0].Bundle, t.Bundle); Assert.Equal(master, t.Source); Assert.Equal(peer, t.Target); });
        });
        Assert.Equal(3 * 256, bundles.SelectMany(b => b).Select(t => t.Chunk).Distinct().Count());
    }

    [Fact]
    public void A_bundle_stops_at_its_byte_limit()
    {
        var p = Planner(100, bytes: 300_000); // 4 MiB hold 13 of these
        p.AddNode(true, 1, 0, Enumerable.Range(0, 100));
        p.AddNode(false, 1, 1);

        var bundle = Assert.Single(Bundles(p.Plan(TimeSpan.Zero)));

        Assert.Equal((int)(new PlannerOptions().BundleMaxBytes / 300_000), bundle.Count);
    }

    [Fact]
    public void Chunks_of_large_files_and_files_over_the_size_limit_travel_alone()
    {
        var sizes = new long[] { Small, Small, 2L << 20, Small };
        var wholeFiles = new[] { false, false, true, true }; // two chunks of one file, a 2 MiB file, a small file
        var p = new SwarmPlanner(sizes, null, wholeFiles);
        p.AddNode(true, 4, 0, Enumerable.Range(0, 4));
        for (int i = 0; i < 4; i++) p.AddNode(false, 1, 1); // one of the master's uploads each

        var plan = p.Plan(TimeSpan.Zero);

        Assert.Equal(4, plan.Start.Count);
        Assert.All(plan.Start.Where(t => t.Chunk < 3), t => Assert.Equal(0, t.Bundle));
        Assert.All(Bundles(plan), b => Assert.Single(b)); // the small file is a bundle of one: nothing else to carry
    }

    [Fact]
    public void A_bundle_holds_its_slots_until_its_last_transfer_ends_and_gives_them_back_once()
    {
        var p = Planner(900);
        p.AddNode(true, 4, 0, Enumerable.Range(0, 900));
        int peer = p.AddNode(false, 0, 1);
        var first = Assert.Single(Bundles(p.Plan(TimeSpan.Zero)));

        var now = TimeSpan.FromSeconds(1);
        foreach (var t in first.Take(first.Count - 1)) p.TransferSucceeded(t.Id, 0, 0, now);
        Assert.Empty(p.Plan(now).Start); // one transfer of the bundle still runs: its slot is taken

        p.TransferSucceeded(first[^1].Id, Small * first.Count, 0.1, now);
        var second = Assert.Single(Bundles(p.Plan(now)));
        Assert.Equal(256, second.Count);
        Assert.Equal(256, p.CountOf(peer));

        // Announcing the end frees the slot at once; the bundle's transfers ending later do not free it again.
        p.TransferEnding(second[0].Id, now);
        Assert.Single(Bundles(p.Plan(now)));
        foreach (var t in second) p.TransferSucceeded(t.Id, 0, 0, now);
        Assert.Empty(p.Plan(now).Start); // 132 files are left, but the third bundle holds the one slot
    }

    [Fact]
    public void A_bundle_whose_end_was_announced_under_one_transfer_is_not_aborted_as_slow()
    {
        var p = Planner(900, options: new PlannerOptions { MinTransferTime = TimeSpan.FromSeconds(1), NoProgressTimeout = TimeSpan.FromHours(1) });
        p.AddNode(true, 4, 0, Enumerable.Range(0, 900));
        p.AddNode(false, 0, 1);
        var first = Assert.Single(Bundles(p.Plan(TimeSpan.Zero)));
        foreach (var t in first.Skip(1)) p.TransferSucceeded(t.Id, 0, 0, TimeSpan.Zero);
        p.TransferSucceeded(first[0].Id, Small * first.Count, 0.1, TimeSpan.Zero); // the swarm's pace: 0.1 s a bundle
        var second = Assert.Single(Bundles(p.Plan(TimeSpan.FromSeconds(1))));

        p.TransferEnding(second[^1].Id, TimeSpan.FromSeconds(1.05));
        var later = p.Plan(TimeSpan.FromSeconds(20)); // far past 4 x 0.1 s and the 1 s floor

        Assert.DoesNotContain(later.Abort, a => second.Any(t => t.Id == a.Transfer.Id));
    }

    [Fact]
    public void Bundles_from_the_master_to_two_peers_hold_different_files_so_the_peers_can_trade()
    {
        var p = Planner(2000);
        p.AddNode(true, 4, 0, Enumerable.Range(0, 2000));
        int a = p.AddNode(false, 2, 1);
        int b = p.AddNode(false, 2, 1);

        var plan = p.Plan(TimeSpan.Zero);

        var toA = plan.Start.Where(t => t.Target == a).Select(t => t.Chunk).ToHashSet();
        var toB = plan.Start.Where(t => t.Target == b).Select(t => t.Chunk).ToHashSet();
        Assert.Equal(256, toA.Count);
        Assert.Equal(256, toB.Count);
        Assert.Empty(toA.Intersect(toB));
    }

    [Fact]
    public void A_small_file_is_never_passed_on_while_it_is_still_arriving_and_the_swarm_still_completes()
    {
        // A relay of one small file would hold a slot at each end while the file waits for its turn
        // in the source's incoming bundle (a fifth of the slot time in the namespace LAN's mixed set).
        var swarm = new PlannerTestSwarm(chunks: 600, seed: 3, wholeFiles: true);
        swarm.Planner.AddNode(true, 2, 0, Enumerable.Range(0, 600));
        var peers = Enumerable.Range(0, 4).Select(_ => swarm.Planner.AddNode(false, 4, 4)).ToArray();
        var relays = new List<TransferOrder>();
        int starts = 0;
        for (int step = 0; step < 20_000 && !peers.All(swarm.Planner.IsComplete); step++)
        {
            swarm.Step();
            foreach (var s in swarm.Plans[^1].Start)
            {
                starts++;
                if (!swarm.Planner.Has(s.Source, s.Chunk)) relays.Add(s);
            }
        }

        Assert.All(peers, peer => Assert.True(swarm.Planner.IsComplete(peer)));
        Assert.True(starts >= 4 * 600, $"{starts} transfers started");
        Assert.Empty(relays);
    }

    [Fact]
    public void A_stalled_bundle_is_aborted_whole_and_its_files_are_planned_again()
    {
        var options = new PlannerOptions { NoProgressTimeout = TimeSpan.FromSeconds(30) };
        var p = Planner(300, options: options);
        p.AddNode(true, 4, 0, Enumerable.Range(0, 300));
        p.AddNode(false, 0, 1);
        var first = Assert.Single(Bundles(p.Plan(TimeSpan.Zero)));

        // Progress reported under the bundle's first transfer keeps all of it alive.
        p.TransferProgress(first[0].Id, TimeSpan.FromSeconds(20), 1000);
        Assert.Empty(p.Plan(TimeSpan.FromSeconds(40)).Abort);

        var plan = p.Plan(TimeSpan.FromSeconds(55));
        Assert.Equal(first.Select(t => t.Id).OrderBy(x => x), plan.Abort.Select(a => a.Transfer.Id).OrderBy(x => x));
        Assert.Empty(p.ActiveTransfers);
    }

    [Fact]
    public void A_swarm_of_small_files_completes_with_failures_and_every_invariant_holding()
    {
        var swarm = new PlannerTestSwarm(900, seed: 5, wholeFiles: true);
        swarm.Planner.AddNode(true, 3, 0, Enumerable.Range(0, 900));
        var peers = Enumerable.Range(0, 5).Select(n => swarm.Planner.AddNode(false, 1 + n % 3, 1 + n % 2)).ToList();

        Assert.True(swarm.RunUntilComplete(peers, 100_000, failRate: 0.05));
        Assert.Contains(swarm.Plans.SelectMany(p => p.Start), t => t.Bundle != 0);
    }
}
