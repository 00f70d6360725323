namespace LanScatter.Core.Planning;

/// <summary>A transfer in flight, as the planner tracks it.</summary>
internal sealed class ActiveTransfer
{
    public ActiveTransfer(TransferOrder order, TimeSpan started, bool relay, TransferGroup group)
    {
        Order = order;
        Started = started;
        Relay = relay;
        Group = group;
    }

    /// <summary>The source was itself still receiving the chunk: this transfer runs at its upstream's pace.</summary>
    public bool Relay { get; }

    /// <summary>
    /// The receiver said the last bytes are arriving: its download slot and the source's upload slot
    /// already count as free, so the next transfer is on its way before this one ends. For a bundle
    /// this holds for all its transfers, whichever one the receiver named.
    /// </summary>
    public bool Ending
    {
        get => Group.Ending;
        set => Group.Ending = value;
    }

    public TransferOrder Order { get; }
    public TimeSpan Started { get; }

    /// <summary>The transfers sent in one request with this one (itself alone when not bundled).</summary>
    public TransferGroup Group { get; }
}

/// <summary>
/// Transfers that travel in one request (a bundle of small chunks, <see cref="PlannerOptions.BundleMaxBytes"/>):
/// they hold one upload slot of the source and one download slot of the target between them, are
/// judged on their bytes together, and give one rate sample when the last of them ends.
/// </summary>
internal sealed class TransferGroup
{
    public TransferGroup(TimeSpan started) => LastProgress = started;

    /// <summary>Members not yet finished; the slots are free once none is left (or the end is announced).</summary>
    public int Open { get; set; }

    public bool SlotsReleased { get; set; }

    /// <summary>The receiver announced the end (<see cref="ActiveTransfer.Ending"/>).</summary>
    public bool Ending { get; set; }

    /// <summary>Bytes of all members: what the slow-transfer limit is judged on.</summary>
    public long Bytes { get; set; }

    /// <summary>Bytes the receiver has reported so far, and when they last grew.</summary>
    public long Progress { get; set; }
    public TimeSpan LastProgress { get; set; }

    /// <summary>Bytes of the members that succeeded, and the longest time one took: the group's rate sample.</summary>
    public long DoneBytes { get; set; }
    public double DoneSeconds { get; set; }

    /// <summary>Already charged for being slow (once per group, not once per member).</summary>
    public bool Penalized { get; set; }
}
