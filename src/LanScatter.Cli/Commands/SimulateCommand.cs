using System.Globalization;
using LanScatter.Core.Manifest;
using LanScatter.Core.Simulation;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter simulate</c>: run the real planner on a simulated LAN and report its efficiency.</summary>
internal static class SimulateCommand
{
    public const string Usage = "lanscatter simulate [--peers N] [--chunks N] [--chunk-size SIZE] [--rate MBIT] [--slow F] [--fail F] [--churn F] [--seed N]";

    public const string Help = """
        Simulates one master and N peers on a switched LAN (each host limited by its own link) with
        the real swarm planner, shows the swarm live (a row per node, '#' = chunks it has), and ends
        with "efficiency=… efficiency_median=…": a peer's efficiency is its ideal time (total bytes
        over its own link rate, as a perfect multicast would feed it) divided by its actual time.
          --peers N          peers (default 16)
          --chunks N         chunks (default 256)
          --chunk-size SIZE  bytes per chunk (default 4M)
          --rate MBIT        every host's link in Mbit/s, both directions (default 1000)
          --slow F           fraction of peers with a link 20x slower (default 0)
          --fail F           fraction of transfers that fail halfway (default 0)
          --churn F          fraction of peers that join late or drop out and come back (default 0)
          --seed N           random seed (default 1); the same seed gives the same run
          --quiet            no live display, only the summary
        """;

    public static Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args,
            new HashSet<string> { "peers", "chunks", "chunk-size", "rate", "slow", "fail", "churn", "seed" },
            new HashSet<string> { "quiet" });
        if (a.Positional.Count != 0) throw new UsageException("simulate takes no folder: " + Usage);

        long chunkBytes = 4L << 20;
        if (a.Value("chunk-size") is { } text && (!ChunkSizing.TryParse(text, out chunkBytes) || chunkBytes <= 0))
            throw new UsageException($"--chunk-size '{text}' is not a size (examples: 4M, 64MiB)");
        var options = new SimulationOptions
        {
            Peers = a.Int("peers", 16, 1, 100_000),
            Chunks = a.Int("chunks", 256, 1, 1_000_000),
            ChunkBytes = chunkBytes,
            RateMbit = a.Double("rate", 1000, 0.001, 1e7),
            SlowFraction = a.Double("slow", 0, 0, 1),
            FailFraction = a.Double("fail", 0, 0, 0.9),
            ChurnFraction = a.Double("churn", 0, 0, 1),
            Seed = a.Int("seed", 1, int.MinValue, int.MaxValue),
        };

        var simulator = new SwarmSimulator(options);
        var display = new SwarmMatrix(context.Stdout, context.StdoutIsTerminal && !a.Has("quiet"), a.Has("quiet"));
        var started = DateTime.UtcNow;
        var result = simulator.Run(display.Show, simulator.IdealSeconds / (context.StdoutIsTerminal ? 100 : 10), context.Cancellation);
        var wall = DateTime.UtcNow - started;

        var inv = CultureInfo.InvariantCulture;
        context.Stdout.WriteLine(string.Format(inv,
            "{0}: {1} peers, {2} chunks of {3}, {4} Mbit/s: {5:F1} s simulated (ideal {6:F1} s), {7} transfers ({8} failed, {9} aborted), {10:P0} of bytes from peers, {11:F1} s wall",
            result.Completed ? "done" : "NOT COMPLETE", options.Peers, options.Chunks, ChunkSizing.Format(options.ChunkBytes), options.RateMbit,
            result.Seconds, result.IdealSeconds, result.Transfers, result.FailedTransfers, result.AbortedTransfers,
            (double)result.BytesFromPeers / Math.Max(1, result.BytesFromPeers + result.BytesFromMaster), wall.TotalSeconds));
        context.Stdout.WriteLine(string.Format(inv, "efficiency={0:F2} efficiency_median={1:F2}", result.Efficiency, result.MedianEfficiency));
        return Task.FromResult(result.Completed ? CliApp.ExitOk : CliApp.ExitFailure);
    }
}
