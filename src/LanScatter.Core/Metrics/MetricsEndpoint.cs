using LanScatter.Core.Nodes;

namespace LanScatter.Core.Metrics;

/// <summary>
/// A node's <c>/metrics</c>: its instruments are made at the first request (a node nobody scrapes
/// registers no meter) and released when the node stops.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly Func<NodeStatus> _status;
    private readonly object _gate = new();
    private NodeMetrics? _metrics;
    private bool _disposed;

    public MetricsEndpoint(Func<NodeStatus> status) => _status = status;

    /// <summary>The exposition text, or null once the node has stopped.</summary>
    public string? Render()
    {
        lock (_gate)
        {
            if (_disposed) return null;
            _metrics ??= new NodeMetrics(_status);
            return PrometheusText.Write(_metrics.Meter);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _metrics?.Dispose();
        }
    }
}
