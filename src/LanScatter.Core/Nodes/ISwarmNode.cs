namespace LanScatter.Core.Nodes;

/// <summary>
/// What master and peer have in common, so a host (the CLI, a PowerShell job) drives either the
/// same way: create, subscribe, <c>Start</c>, read <see cref="Status"/>, change limits, stop.
/// </summary>
public interface ISwarmNode : IAsyncDisposable
{
    /// <summary>The newest status; immutable, readable from any thread.</summary>
    NodeStatus Status { get; }

    /// <summary>The port the node listens on.</summary>
    int Port { get; }

    /// <summary>Log lines; subscribe before starting to see everything.</summary>
    event EventHandler<NodeEvent>? Event;

    /// <summary>Raised when the node's state changes (the milestones of its life).</summary>
    event EventHandler<NodeStatus>? StateChanged;

    /// <summary>
    /// Checks folder and options and binds the port, throwing what a user must see at once (a
    /// <see cref="Diagnostics.LanScatterException"/>), then runs in the background.
    /// </summary>
    void Start();

    /// <summary>
    /// Completes when the node has ended: stopped, or (a peer in once-mode) in sync and gone.
    /// Faults with a <see cref="Diagnostics.LanScatterException"/> when the node failed.
    /// </summary>
    Task Completion { get; }

    /// <summary>Changes limits while running: Mbit/s, 0 = unlimited, null = leave as it is.</summary>
    void SetLimits(double? uploadMbit, double? downloadMbit);

    /// <summary>Stops the node (ports freed, partial files kept); the token only gives up waiting.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);
}
