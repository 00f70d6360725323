using LanScatter.Core.Simulation;

namespace LanScatter.Tests.Simulation;

public class SwarmSimulatorTests
{
    private static readonly SimulationOptions Small = new() { Peers = 8, Chunks = 64, ChunkBytes = 1 << 20, RateMbit = 100 };

    [Fact]
    public void Same_seed_same_run()
    {
        var a = new SwarmSimulator(Small with { FailFraction = 0.05, Seed = 9 }).Run();
        var b = new SwarmSimulator(Small with { FailFraction = 0.05, Seed = 9 }).Run();
        Assert.Equal(a.Seconds, b.Seconds);
        Assert.Equal(a.Transfers, b.Transfers);
        Assert.Equal(a.PeerEfficiency, b.PeerEfficiency);
    }

    [Fact]
    public void Ideal_time_is_total_bytes_over_one_link_and_no_peer_beats_it()
    {
        var sim = new SwarmSimulator(Small);
        Assert.Equal(64.0 * (1 << 20) * 8 / 100e6, sim.IdealSeconds, 6);
        var r = sim.Run();
        Assert.True(r.Completed);
        Assert.True(r.Seconds >= r.IdealSeconds);
        Assert.All(r.PeerEfficiency, e => Assert.InRange(e, 0.01, 1.0));
    }

    [Fact]
    public void Most_bytes_reach_peers_from_peers_not_from_the_master()
    {
        var r = new SwarmSimulator(Small with { Peers = 16 }).Run();
        Assert.True(r.BytesFromPeers > 4 * r.BytesFromMaster, $"peers {r.BytesFromPeers}, master {r.BytesFromMaster}");
    }

    [Fact]
    public void Every_peer_finishes_despite_failures_churn_and_slow_links()
    {
        var r = new SwarmSimulator(Small with { Peers = 12, FailFraction = 0.1, ChurnFraction = 0.5, SlowFraction = 0.25, Seed = 4 }).Run();
        Assert.True(r.Completed);
        Assert.Equal(12, r.PeerEfficiency.Count);
        Assert.True(r.FailedTransfers > 0);
    }

    [Fact]
    public void A_slow_peer_does_not_hold_the_others_back()
    {
        var baseline = new SwarmSimulator(Small with { Peers = 16 }).Run();
        var withSlow = new SwarmSimulator(Small with { Peers = 16, SlowFraction = 1.0 / 16 }).Run();
        // The median peer loses little; the slow one is judged against its own link.
        Assert.True(withSlow.MedianEfficiency > baseline.MedianEfficiency - 0.08,
            $"median {withSlow.MedianEfficiency:F3} with a slow peer vs {baseline.MedianEfficiency:F3} without");
        Assert.True(withSlow.Completed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Slow_peers_do_not_hold_up_the_worst_fast_peer_in_a_rough_swarm(int seed)
    {
        // The rough swarm (`lanscatter simulate --peers 48 --chunks 400 --slow 0.1 --fail 0.05`)
        // and its target. While slow peers could serve fast ones, the worst peer of seeds 1-10 scored
        // 0.74-0.91 (0.78 on seed 5), three of its four download slots at times held by slow sources.
        var r = new SwarmSimulator(new SimulationOptions { Peers = 48, Chunks = 400, SlowFraction = 0.1, FailFraction = 0.05, Seed = seed }).Run();
        Assert.True(r.Efficiency >= 0.85, $"worst peer {r.Efficiency:F3}, median {r.MedianEfficiency:F3}");
    }

    [Fact]
    public void A_slow_peer_whose_first_downloads_all_run_long_still_finishes()
    {
        // Eight peers, one 20x slower, every chunk 4 MiB: each of the slow peer's first four
        // transfers takes 13 s. Judged against the swarm's median before it had finished one, they
        // were aborted after 5 s as if each source were slow, every source was avoided in turn, and
        // the slow peer never finished (the run hit its time limit).
        var r = new SwarmSimulator(new SimulationOptions { Peers = 8, Chunks = 260, RateMbit = 200, SlowFraction = 1.0 / 8, Seed = 1 }).Run();
        Assert.True(r.Completed, $"not complete after {r.Seconds:F0} s (ideal {r.IdealSeconds:F0} s), {r.AbortedTransfers} aborted");
        Assert.True(r.Efficiency >= 0.9, $"worst peer {r.Efficiency:F3}");
    }

    [Fact]
    public void Snapshots_show_progress_from_nothing_to_everything()
    {
        var snapshots = new List<SimulationSnapshot>();
        new SwarmSimulator(Small).Run(snapshots.Add, observeEvery: 0.5);
        Assert.True(snapshots.Count > 2);
        var first = snapshots.First().Hosts.Where(h => !h.IsMaster);
        var last = snapshots.Last().Hosts.Where(h => !h.IsMaster);
        Assert.All(first, h => Assert.DoesNotContain(true, h.Has));
        Assert.All(last, h => Assert.All(h.Has, Assert.True));
        Assert.True(snapshots.Last().Hosts[0].IsMaster);
    }
}
