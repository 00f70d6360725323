using LanScatter.Core.Simulation;

namespace LanScatter.Tests.Simulation;

public class MaxMinRatesTests
{
    private static double[] Rates(double[] up, double[] down, int[] source, int[] target)
    {
        var rates = new double[source.Length];
        new MaxMinRates().Compute(up, down, source, target, rates);
        return rates;
    }

    [Fact]
    public void One_flow_runs_at_the_slower_of_its_two_links()
    {
        var rates = Rates(new[] { 100.0, 100 }, new[] { 100.0, 30 }, new[] { 0 }, new[] { 1 });
        Assert.Equal(30, rates[0], 9);
    }

    [Fact]
    public void A_slow_receiver_leaves_the_rest_of_the_uplink_to_the_fast_ones()
    {
        // Host 0 serves hosts 1-4 (fast) and 5 (slow); each receiver also takes three flows from
        // host 6, whose uplink is wide. An equal split at the source would give each fast flow 20.
        double[] up = { 100, 0, 0, 0, 0, 0, 1000 };
        double[] down = { 0, 100, 100, 100, 100, 4, 0 };
        var source = new List<int>();
        var target = new List<int>();
        for (int r = 1; r <= 5; r++)
        {
            source.Add(0); target.Add(r);
            for (int k = 0; k < 3; k++) { source.Add(6); target.Add(r); }
        }
        var rates = Rates(up, down, source.ToArray(), target.ToArray());
        // The slow receiver's four flows share its 4 equally; host 0's other 99 go to the four fast flows.
        Assert.Equal(1, rates[4 * 4], 9);
        for (int r = 0; r < 4; r++) Assert.Equal(99.0 / 4, rates[r * 4], 9);
        // What host 0 cannot give a fast receiver, host 6's flows to it take: its downlink is full.
        for (int r = 0; r < 4; r++) Assert.Equal(100, rates[r * 4] + rates[r * 4 + 1] + rates[r * 4 + 2] + rates[r * 4 + 3], 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_flow_is_limited_by_a_full_link_where_no_flow_gets_more(int seed)
    {
        // The definition of max-min fairness: each flow has a bottleneck, a link that is full and on
        // which it gets as much as any other flow. No link carries more than its capacity.
        var random = new Random(seed);
        int hosts = 12, flows = 60;
        var up = Enumerable.Range(0, hosts).Select(_ => random.Next(1, 5) * 25.0).ToArray();
        var down = Enumerable.Range(0, hosts).Select(_ => random.Next(1, 5) * 25.0).ToArray();
        var source = new int[flows];
        var target = new int[flows];
        for (int f = 0; f < flows; f++)
        {
            source[f] = random.Next(hosts);
            do target[f] = random.Next(hosts); while (target[f] == source[f]);
        }
        var rates = Rates(up, down, source, target);

        double[] upUsed = new double[hosts], downUsed = new double[hosts];
        for (int f = 0; f < flows; f++)
        {
            Assert.True(rates[f] > 0);
            upUsed[source[f]] += rates[f];
            downUsed[target[f]] += rates[f];
        }
        for (int h = 0; h < hosts; h++)
        {
            Assert.True(upUsed[h] <= up[h] + 1e-9, $"uplink {h}: {upUsed[h]} > {up[h]}");
            Assert.True(downUsed[h] <= down[h] + 1e-9, $"downlink {h}: {downUsed[h]} > {down[h]}");
        }
        for (int f = 0; f < flows; f++)
        {
            bool BottleneckUp() => upUsed[source[f]] >= up[source[f]] - 1e-9
                && Enumerable.Range(0, flows).Where(g => source[g] == source[f]).All(g => rates[g] <= rates[f] + 1e-9);
            bool BottleneckDown() => downUsed[target[f]] >= down[target[f]] - 1e-9
                && Enumerable.Range(0, flows).Where(g => target[g] == target[f]).All(g => rates[g] <= rates[f] + 1e-9);
            Assert.True(BottleneckUp() || BottleneckDown(), $"flow {f} ({source[f]}->{target[f]}, {rates[f]}) has no bottleneck");
        }
    }
}
