using System.Globalization;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;

namespace LanScatter.Cli;

/// <summary>
/// What a running node shows: log lines for its events (on stderr), and its progress — one line
/// per node rewritten in place on a terminal; when redirected (a log file, the journal), a plain
/// line per state change and one every <see cref="RedirectedInterval"/>, so logs grow slowly.
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

    /// <summary>How often a redirected output gets a progress line (a terminal's line is redrawn twice a second).</summary>
    public static readonly TimeSpan RedirectedInterval = TimeSpan.FromSeconds(30);

    public TimeSpan ProgressInterval => _context.StderrIsTerminal ? TimeSpan.FromMilliseconds(500) : RedirectedInterval;

    /// <summary>Logs the node's events; attach before starting it, so nothing it says is missed.</summary>
    public void Attach(string label, ISwarmNode node) => node.Event += (_, e) => Log(label, e);

    /// <summary>
    /// When redirected, a status line per state change; once the node has started (a node that
    /// failed to start has no state worth a line, only its error).
    /// </summary>
    public void FollowStates(string label, ISwarmNode node)
    {
        if (!_context.StderrIsTerminal) node.StateChanged += (_, s) => Progress(new[] { Line(label, s) });
    }

    /// <summary>
    /// Shows progress until the node ends (true) or a stop is requested (false). A stop request
    /// ends the wait at once: waiting on a cancelled delay instead would return at once again and
    /// again, and print the status line in a busy loop.
    /// </summary>
    public async Task<bool> ShowUntilEndAsync(Task completion, Func<IEnumerable<string>> lines)
    {
        var stopRequested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _context.Cancellation.Register(() => stopRequested.TrySetResult(true));
        while (!completion.IsCompleted)
        {
            var tick = Task.Delay(ProgressInterval);
            var first = await Task.WhenAny(tick, completion, stopRequested.Task).ConfigureAwait(false);
            if (first == stopRequested.Task) return false;
            if (first == tick) Progress(lines());
        }
        return true;
    }

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
