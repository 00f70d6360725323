namespace LanScatter.Core.Nodes;

/// <summary>How much a node event matters (maps onto log levels and PowerShell streams).</summary>
public enum NodeEventLevel
{
    Verbose,
    Information,
    Warning,
    Error,
}

/// <summary>Something that happened in a node, for logs and job streams.</summary>
public sealed record NodeEvent(DateTime TimeUtc, NodeEventLevel Level, string Message);
