using System.Globalization;
using LanScatter.Core.Nodes;

namespace LanScatter.Cli;

/// <summary>The swarm view as a fixed-width table (what <c>lanscatter status</c> prints): a row per node, the master first.</summary>
internal static class SwarmTable
{
    public static string Render(SwarmDocument swarm)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = new List<string[]> { new[] { "ROLE", "NAME", "ADDRESS", "STATE", "PERCENT", "DOWN Mbit/s", "UP Mbit/s", "SLOW", "LAST ERROR" } };
        foreach (var n in swarm.Nodes)
        {
            rows.Add(new[]
            {
                n.Role, n.Name, n.Port > 0 ? $"{n.Address}:{n.Port}" : n.Address, n.State, n.Percent.ToString("F1", inv),
                n.DownloadMbps.ToString("F1", inv), n.UploadMbps.ToString("F1", inv), n.Slow ? "slow" : "", n.LastError ?? "",
            });
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        return string.Join(Environment.NewLine, lines) + Environment.NewLine + $"manifest version {swarm.ManifestVersion}, {swarm.Nodes.Count(n => n.Role == "peer")} peer(s)";
    }
}
