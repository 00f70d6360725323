using LanScatter.Core.Manifest;

namespace LanScatter.Cli;

/// <summary>Shows hashing progress as one rewritten line on a terminal; says nothing when redirected.</summary>
internal sealed class ScanProgressLine : IProgress<ScanProgress>, IDisposable
{
    private readonly TextWriter _output;
    private readonly bool _enabled;
    private readonly object _gate = new();
    private long _lastTicks;
    private bool _drawn;

    public ScanProgressLine(TextWriter output, bool enabled)
    {
        _output = output;
        _enabled = enabled;
    }

    public void Report(ScanProgress value)
    {
        if (!_enabled) return;
        long now = Environment.TickCount64;
        lock (_gate)
        {
            if (now - _lastTicks < 200) return;
            _lastTicks = now;
            double pct = value.TotalBytes == 0 ? 100 : 100.0 * (value.HashedBytes + value.ReusedBytes) / value.TotalBytes;
            _output.Write($"\rhashing {value.Files} files: {pct,5:F1}% of {ChunkSizing.Format(value.TotalBytes)} ({ChunkSizing.Format(value.ReusedBytes)} unchanged)   ");
            _drawn = true;
        }
    }

    public void Done()
    {
        lock (_gate)
        {
            if (_drawn) _output.Write("\r" + new string(' ', 78) + "\r");
            _drawn = false;
        }
    }

    public void Dispose() => Done();
}
