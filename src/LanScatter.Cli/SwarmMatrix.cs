using System.Globalization;
using System.Text;
using LanScatter.Core.Simulation;

namespace LanScatter.Cli;

/// <summary>
/// Draws a swarm as a matrix: a row per node, one column per group of chunks ('#' all, ':' some,
/// '.' none), transfers in flight and receive speed. Redrawn in place on a terminal; on a pipe,
/// one progress line per snapshot instead.
/// </summary>
internal sealed class SwarmMatrix
{
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly bool _quiet;
    private DateTime _lastDraw;

    public SwarmMatrix(TextWriter output, bool live, bool quiet)
    {
        _out = output;
        _live = live;
        _quiet = quiet;
    }

    public void Show(SimulationSnapshot s)
    {
        if (_quiet) return;
        if (!_live)
        {
            var peers = s.Hosts.Where(h => !h.IsMaster).ToList();
            double done = peers.Average(h => h.Has.Count(x => x) / (double)h.Has.Length);
            int complete = peers.Count(h => h.Has.All(x => x));
            _out.WriteLine(string.Format(CultureInfo.InvariantCulture, "t={0,8:F1}s  peers complete {1}/{2}  mean progress {3:P0}", s.Seconds, complete, peers.Count, done));
            return;
        }

        // Keep the animation watchable: a frame at most every 40 ms of wall time.
        var now = DateTime.UtcNow;
        var wait = TimeSpan.FromMilliseconds(40) - (now - _lastDraw);
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        _lastDraw = DateTime.UtcNow;

        int width = Math.Max(20, SafeWidth() - 40);
        int rows = Math.Max(3, SafeHeight() - 3);
        var sb = new StringBuilder("\x1b[H\x1b[J");
        sb.AppendFormat(CultureInfo.InvariantCulture, "t = {0:F1} s\n", s.Seconds);
        foreach (var h in s.Hosts.Take(rows))
        {
            sb.Append((h.Name + (h.Slow ? "*" : "")).PadRight(9));
            sb.Append(h.Online ? ' ' : '-');
            sb.Append(Bar(h.Has, Math.Min(width, h.Has.Length)));
            sb.AppendFormat(CultureInfo.InvariantCulture, " d{0} u{1} {2,7:F1} MB/s\n", h.Downloads, h.Uploads, h.DownloadBytesPerSecond / 1e6);
        }
        if (s.Hosts.Count > rows) sb.Append($"… {s.Hosts.Count - rows} more\n");
        _out.Write(sb.ToString());
    }

    private static string Bar(bool[] has, int width)
    {
        var chars = new char[width];
        for (int i = 0; i < width; i++)
        {
            int from = (int)((long)i * has.Length / width), to = (int)((long)(i + 1) * has.Length / width);
            int n = 0;
            for (int c = from; c < to; c++) if (has[c]) n++;
            chars[i] = n == 0 ? '.' : n == to - from ? '#' : ':';
        }
        return new string(chars);
    }

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 120; } catch (IOException) { return 120; }
    }

    private static int SafeHeight()
    {
        try { return Console.WindowHeight > 0 ? Console.WindowHeight : 40; } catch (IOException) { return 40; }
    }
}
