using System.Diagnostics;
using System.Text;

namespace LanScatter.Tests.Support;

/// <summary>
/// A child process whose stderr is read as it comes (a pipe nobody reads fills up and blocks the
/// child) and kept for failure messages; tests wait for its lines. Killed by its id on dispose.
/// </summary>
internal sealed class CapturedProcess : IDisposable
{
    private readonly StringBuilder _err = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waits = new();
    private readonly Task _reading;

    public CapturedProcess(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        Process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        _ = Process.StandardOutput.ReadToEndAsync();
        _reading = Task.Run(ReadErrAsync);
    }

    public Process Process { get; }

    /// <summary>Everything written to stderr so far.</summary>
    public string Err
    {
        get { lock (_err) return _err.ToString(); }
    }

    /// <summary>The first stderr line (already written or still to come) that matches.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, int seconds)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_err)
        {
            var earlier = _err.ToString().Split('\n').FirstOrDefault(l => match(l.TrimEnd('\r')));
            if (earlier is not null) return earlier.TrimEnd('\r');
            _waits.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no such line within {seconds} s; stderr so far:\n{Err}");
        }
    }

    /// <summary>Waits for the exit; returns the exit code and all of stderr.</summary>
    public async Task<(int Code, string Err)> ExitAsync(int seconds)
    {
        try
        {
            await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"still running after {seconds} s; stderr so far:\n{Err}");
        }
        await _reading;
        return (Process.ExitCode, Err);
    }

    private async Task ReadErrAsync()
    {
        string? line;
        while ((line = await Process.StandardError.ReadLineAsync()) is not null)
        {
            lock (_err)
            {
                _err.Append(line).Append('\n');
                foreach (var w in _waits.Where(w => w.Match(line)).ToList())
                {
                    _waits.Remove(w);
                    w.Found.TrySetResult(line);
                }
            }
        }
        lock (_err) foreach (var w in _waits) w.Found.TrySetException(new IOException($"the process ended; stderr:\n{_err}"));
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
