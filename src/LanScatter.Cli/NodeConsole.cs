using System.Globalization;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;

namespace LanScatter.Cli;

/// <summary>
/// What a running node shows: log lines for its events (on stderr), and its progress — one line
/// per node rewritten in place on a terminal, a plain line every few seconds when redirected.
/// </summary>
internal sealed class NodeConsole
{
    private readonly CliContext _context;
    private readonly bool _verbose;
    private readonly object _gate = new();
    private int _drawnLines;

    public NodeConsole(CliContext context, bool verbose)
    {
        _context = context;
        _verbose = verbose;
    }

    public void Attach(string label, MasterNode master) => master.Event += (_, e) => Log(label, e);

    public void Attach(string label, PeerNode peer) => peer.Event += (_, e) => Log(label, e);

    public void Log(string label, NodeEvent e)
    {
        if (e.Level == NodeEventLevel.Verbose && !_verbose) return;
        lock (_gate)
        {
            Erase();
            var level = e.Level switch { NodeEventLevel.Warning => "warning: ", NodeEventLevel.Error => "error: ", _ => "" };
            _context.Stderr.WriteLine($"{e.TimeUtc.ToLocalTime():HH:mm:ss} {label}: {level}{e.Message}");
        }
    }

    /// <summary>Shows one line per status (redrawn on a terminal).</summary>
    public void Progress(IEnumerable<(string Label, NodeStatus Status)> nodes) => Progress(nodes.Select(n => Line(n.Label, n.Status)));

    /// <summary>Shows these lines (redrawn in place on a terminal).</summary>
    public void Progress(IEnumerable<string> progressLines)
    {
        var lines = progressLines.ToList();
        lock (_gate)
        {
            if (_context.StderrIsTerminal)
            {
                Erase();
                foreach (var line in lines) _context.Stderr.WriteLine(line);
                _drawnLines = lines.Count;
            }
            else
            {
                foreach (var line in lines) _context.Stderr.WriteLine(line);
            }
        }
    }

    /// <summary>Clears the live lines (before a log line or at the end).</summary>
    public void Erase()
    {
        lock (_gate)
        {
            if (_drawnLines == 0) return;
            _context.Stderr.Write($"\x1b[{_drawnLines}A\x1b[J");
            _drawnLines = 0;
        }
    }

    /// <summary>A peer as the master sees it.</summary>
    public static string Line(PeerStatus p)
    {
        return string.Format(CultureInfo.InvariantCulture, "{0,-8} {1,-10} {2,5:F1}% of {3}  {4} chunks  {5}:{6}{7}",
            p.Name, p.State, p.Percent, ChunkSizing.Format(p.BytesTotal), p.ChunksHeld, p.Address, p.Port, p.Slow ? "  slow" : "");
    }

    public static string Line(string label, NodeStatus s)
    {
        var inv = CultureInfo.InvariantCulture;
        if (s.Role == "master")
            return string.Format(inv, "{0,-8} {1,-10} {2} peers, serving {3,7:F1} MB/s, {4} sent", label, s.State, s.Peers.Count, s.UploadBytesPerSecond / 1e6, ChunkSizing.Format(s.BytesFromMaster));
        return string.Format(inv, "{0,-8} {1,-10} {2,5:F1}% of {3}  down {4,7:F1} MB/s  up {5,7:F1} MB/s", label, s.State, s.Percent, ChunkSizing.Format(s.BytesTotal), s.DownloadBytesPerSecond / 1e6, s.UploadBytesPerSecond / 1e6);
    }
}
