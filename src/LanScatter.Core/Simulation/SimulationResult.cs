namespace LanScatter.Core.Simulation;

/// <summary>
/// How close the swarm came to a perfect multicast. A peer's efficiency is its own ideal time
/// (total bytes ÷ its own download rate) ÷ the time it took (from joining, minus time offline).
/// </summary>
internal sealed record SimulationResult(
    bool Completed,
    double Seconds,
    double IdealSeconds,
    IReadOnlyList<double> PeerEfficiency,
    long Transfers,
    long FailedTransfers,
    long AbortedTransfers,
    long BytesFromMaster,
    long BytesFromPeers)
{
    /// <summary>The worst peer's efficiency (0 when some peer never finished).</summary>
    public double Efficiency => Completed && PeerEfficiency.Count > 0 ? PeerEfficiency.Min() : 0;

    public double MedianEfficiency
    {
        get
        {
            if (PeerEfficiency.Count == 0) return 0;
            var sorted = PeerEfficiency.OrderBy(e => e).ToArray();
            return sorted[sorted.Length / 2];
        }
    }
}
