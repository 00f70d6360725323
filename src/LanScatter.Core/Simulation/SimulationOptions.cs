using LanScatter.Core.Planning;

namespace LanScatter.Core.Simulation;

/// <summary>A simulated swarm: one master with every chunk, peers with nothing, each host with its own link.</summary>
internal sealed record SimulationOptions
{
    public int Peers { get; init; } = 16;
    public int Chunks { get; init; } = 256;
    public long ChunkBytes { get; init; } = 4L << 20;

    /// <summary>Every host's link, both directions, in Mbit/s (a switched LAN: the host link is the bottleneck).</summary>
    public double RateMbit { get; init; } = 1000;

    /// <summary>Fraction of peers whose link is <see cref="SlowDivisor"/> times slower, both directions.</summary>
    public double SlowFraction { get; init; }
    public double SlowDivisor { get; init; } = 20;

    /// <summary>Fraction of transfers that fail halfway.</summary>
    public double FailFraction { get; init; }

    /// <summary>Fraction of peers that join late or drop out and come back (half each).</summary>
    public double ChurnFraction { get; init; }

    public int Seed { get; init; } = 1;
    // Matched slot counts give every flow the same share of a link; see bench/RESULTS.md for why
    // a master with more slots than peers have downloads leaves some peers behind.
    public int MasterUploads { get; init; } = 4;
    public int PeerUploads { get; init; } = 4;
    public int PeerDownloads { get; init; } = 4;

    /// <summary>Time from a transfer order to its first byte (request round trip), seconds.</summary>
    public double StartLatency { get; init; } = 0.002;

    public PlannerOptions Planner { get; init; } = new();

    public double BytesPerSecond => RateMbit * 1e6 / 8;
    public long TotalBytes => Chunks * ChunkBytes;
}
