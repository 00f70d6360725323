using Microsoft.Extensions.Logging;

namespace LanScatter.Core.Nodes;

/// <summary>
/// Where a node's log lines and state changes go: the host's <see cref="ILogger"/> and the node's
/// events. A host's handler that throws must not break the node, so exceptions stop here.
/// </summary>
internal sealed class NodeReporter
{
    private readonly object _sender;
    private readonly ILogger? _logger;

    public NodeReporter(object sender, ILogger? logger)
    {
        _sender = sender;
        _logger = logger;
    }

    public event EventHandler<NodeEvent>? Event;
    public event EventHandler<NodeStatus>? StateChanged;

    public void Log(NodeEventLevel level, string message)
    {
        try
        {
            // The message is passed as state with its own formatter: it is text, never a template.
            _logger?.Log(ToLogLevel(level), default, message, null, static (m, _) => m);
            Event?.Invoke(_sender, new NodeEvent(DateTime.UtcNow, level, message));
        }
        catch (Exception)
        {
        }
    }

    public void StateChange(NodeStatus status)
    {
        try { StateChanged?.Invoke(_sender, status); } catch (Exception) { }
    }

    private static LogLevel ToLogLevel(NodeEventLevel level) => level switch
    {
        NodeEventLevel.Verbose => LogLevel.Debug,
        NodeEventLevel.Information => LogLevel.Information,
        NodeEventLevel.Warning => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
