using System.Diagnostics;

namespace LanScatter.Tests.Support;

/// <summary>The real <c>lanscatter</c> program as child processes on loopback; tests stop them by process id.</summary>
internal static class CliProcess
{
    public static readonly string Program = Path.Combine(AppContext.BaseDirectory, "lanscatter.dll");

    /// <summary>
    /// A published <c>lanscatter</c> to run instead of <see cref="Program"/>: CI runs these tests again
    /// with the NativeAOT build servers install (README.md), so its code paths run too.
    /// </summary>
    public static readonly string? Published = Environment.GetEnvironmentVariable("LANSCATTER_TEST_CLI") is { Length: > 0 } path ? path : null;

    public static CapturedProcess Start(params string[] args) => StartWith(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(string[])"/> with environment variables set for the child only (never for the test process).</summary>
    public static CapturedProcess StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Published is not null ? new(Published, args, environment) : new("dotnet", new[] { Program }.Concat(args), environment);

    /// <summary>
    /// A master on port 0 and the port it took, read from its own "serving ... on port N" line: a port
    /// the test picked and released could be taken by another test meanwhile.
    /// </summary>
    public static async Task<(CapturedProcess Master, int Port)> StartMasterAsync(string folder, params string[] extra)
    {
        var master = Start(new[] { "master", folder, "--port", "0", "--bind", "127.0.0.1" }.Concat(extra).ToArray());
        try
        {
            return (master, await ServingPortAsync(master));
        }
        catch
        {
            master.Dispose(); // a master that never served is stopped here, by its process id
            throw;
        }
    }

    /// <summary>The port from a master's "serving ... on port N" line.</summary>
    public static async Task<int> ServingPortAsync(CapturedProcess master)
    {
        var line = await master.LineAsync(l => l.Contains("serving") && l.Contains(" on port "), 60);
        return int.Parse(line.Substring(line.IndexOf(" on port ", StringComparison.Ordinal) + 9).Split(';')[0]);
    }

    /// <summary>A peer of the master on loopback port <paramref name="masterPort"/>, serving on a port of its own choosing.</summary>
    public static CapturedProcess StartPeer(string folder, int masterPort, params string[] extra) =>
        Start(new[] { "peer", folder, $"127.0.0.1:{masterPort}", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1" }.Concat(extra).ToArray());

    /// <summary>Sends SIGTERM (what systemd and docker stop send) to the process.</summary>
    public static async Task SigtermAsync(CapturedProcess node)
    {
        using var kill = Process.Start("kill", new[] { "-TERM", node.Process.Id.ToString() })!;
        await kill.WaitForExitAsync();
    }
}
