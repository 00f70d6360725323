namespace LanScatter.Core.Planning;

/// <summary>Tuning of the swarm planner. Defaults are what the simulator measured best.</summary>
internal sealed record PlannerOptions
{
    /// <summary>Seed of the deterministic tie-breaks (same seed, same events: same plan).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A transfer with no reported progress for this long is aborted.</summary>
    public TimeSpan NoProgressTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A transfer taking this many times its expected time is aborted (when the source is to blame).</summary>
    public double SlowTransferFactor { get; init; } = 4;

    /// <summary>Never abort for slowness before this much time, whatever the estimate.</summary>
    public TimeSpan MinTransferTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A node whose transfers run below this fraction of the swarm median is "slow".</summary>
    public double SlowFraction { get; init; } = 0.25;

    /// <summary>How long a source that failed or was aborted is avoided by the same target.</summary>
    public TimeSpan FailurePenalty { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A peer may pass on a chunk it is still receiving (a relay: the bytes stream through as they
    /// arrive; every receiver still verifies the whole chunk). New data then spreads at once instead
    /// of one chunk-time per hop, which is most of the start-up of a swarm.
    /// </summary>
    public bool RelayChunksInFlight { get; init; } = true;

    /// <summary>
    /// Small files, at most this many bytes, are sent in bundles: one request carries many of them,
    /// so a folder of thousands of small files does not cost a planned transfer and a request round
    /// trip per file. Only chunks that are a whole file are bundled (the caller says which, see
    /// <see cref="SwarmPlanner"/>); a large file's chunks stay one transfer and one retry each. 0: never.
    /// </summary>
    public long BundleChunkBytes { get; init; } = 1L << 20;

    /// <summary>A bundle carries at most this many bytes: about one ordinary chunk's time on the wire.</summary>
    public long BundleMaxBytes { get; init; } = 4L << 20;

    /// <summary>A bundle carries at most this many chunks (their ids travel in the request's path).</summary>
    public int BundleMaxChunks { get; init; } = 256;

    /// <summary>Weight of the newest sample in rate estimates (exponential moving average).</summary>
    public double RateSmoothing { get; init; } = 0.3;
}
