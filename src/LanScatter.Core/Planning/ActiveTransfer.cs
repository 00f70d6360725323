namespace LanScatter.Core.Planning;

/// <summary>A transfer in flight, as the planner tracks it.</summary>
internal sealed class ActiveTransfer
{
    public ActiveTransfer(TransferOrder order, TimeSpan started, bool relay)
    {
        Order = order;
        Started = started;
        LastProgress = started;
        Relay = relay;
    }

    /// <summary>The source was itself still receiving the chunk: this transfer runs at its upstream's pace.</summary>
    public bool Relay { get; }

    /// <summary>
    /// The receiver said the last bytes are arriving: its download slot and the source's upload slot
    /// already count as free, so the next transfer is on its way before this one ends.
    /// </summary>
    public bool Ending { get; set; }

    public TransferOrder Order { get; }
    public TimeSpan Started { get; }
    public TimeSpan LastProgress { get; set; }

    /// <summary>Bytes the receiver has reported so far.</summary>
    public long Bytes { get; set; }
}
