using LanScatter.Core.Planning;

namespace LanScatter.Core.Simulation;

/// <summary>A transfer in the simulation: bytes left, current rate, and whether it is doomed to fail halfway.</summary>
internal sealed class SimFlow
{
    public SimFlow(TransferOrder order, SimHost source, SimHost target, double bytes, double startsAt, bool failsHalfway)
    {
        Order = order;
        Source = source;
        Target = target;
        Bytes = bytes;
        Remaining = bytes;
        StartedAt = startsAt;
        LastUpdate = startsAt;
        FailsHalfway = failsHalfway;
    }

    public TransferOrder Order { get; }
    public SimHost Source { get; }
    public SimHost Target { get; }
    public double Bytes { get; }
    public double Remaining { get; set; }
    public double Rate { get; set; }
    public double StartedAt { get; }
    public double LastUpdate { get; set; }
    public bool FailsHalfway { get; }

    /// <summary>Bumped whenever the flow's schedule changes, so stale queue entries are ignored.</summary>
    public int Version { get; set; }
    public bool Done { get; set; }

    /// <summary>Mark of the simulator's rate updates: this flow is among those being solved.</summary>
    public int Mark { get; set; }

    /// <summary>Bytes still to move before the flow ends (completes, or fails at its halfway point).</summary>
    public double ToEnd => FailsHalfway ? Math.Max(0, Remaining - Bytes / 2) : Remaining;
}
