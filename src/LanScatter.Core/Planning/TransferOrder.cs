namespace LanScatter.Core.Planning;

/// <summary>
/// "<see cref="Target"/>, fetch chunk <see cref="Chunk"/> from <see cref="Source"/>" (node and chunk
/// indices). <see cref="Bundle"/>: the id of the first order of a bundle of small chunks fetched in
/// one request, the same for all of them; 0 for an order on its own.
/// </summary>
internal record struct TransferOrder(long Id, int Chunk, int Source, int Target, long Bundle = 0);

/// <summary>Why the planner aborts a transfer.</summary>
internal enum AbortReason
{
    /// <summary>Nothing arrived for <see cref="PlannerOptions.NoProgressTimeout"/>.</summary>
    NoProgress,

    /// <summary>Far slower than both ends can do; the source is avoided for a while.</summary>
    SlowSource,

    /// <summary>A relay whose source stopped receiving the chunk: nothing more can come (no one is blamed).</summary>
    UpstreamFailed,
}

internal record struct AbortOrder(TransferOrder Transfer, AbortReason Reason);

/// <summary>What one planning pass decided: transfers to start, transfers to abort (their slots are already free).</summary>
internal sealed record PlanResult(IReadOnlyList<TransferOrder> Start, IReadOnlyList<AbortOrder> Abort)
{
    public static readonly PlanResult Empty = new(Array.Empty<TransferOrder>(), Array.Empty<AbortOrder>());
}
