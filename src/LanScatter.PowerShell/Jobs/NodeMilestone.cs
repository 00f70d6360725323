using LanScatter.Core.Nodes;

namespace LanScatter.PowerShell.Jobs;

/// <summary>A state change of a node (scanning, serving, syncing, in sync, reconnecting, stopped, failed), written to a job's Output.</summary>
public sealed class NodeMilestone
{
    public DateTime Time { get; set; }
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string State { get; set; } = "";
    public double Percent { get; set; }
    public string Path { get; set; } = "";
    public string? LastError { get; set; }

    internal static NodeMilestone From(NodeStatus s, string path) => new()
    {
        Time = s.TimeUtc.ToLocalTime(),
        Role = s.Role,
        Name = s.Name,
        State = s.State.ToString(),
        Percent = s.Percent,
        Path = path,
        LastError = s.LastError,
    };
}
