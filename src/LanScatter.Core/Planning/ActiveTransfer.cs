namespace LanScatter.Core.Planning;

/// <summary>A transfer in flight, as the planner tracks it.</summary>
internal sealed class ActiveTransfer
{
    public ActiveTransfer(TransferOrder order, TimeSpan started)
    {
        Order = order;
        Started = started;
        LastProgress = started;
    }

    public TransferOrder Order { get; }
    public TimeSpan Started { get; }
    public TimeSpan LastProgress { get; set; }
}
