using System.Runtime.InteropServices;

namespace LanScatter.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "master" or "peer") LimitPoolThreads();
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C stops cleanly; a second one kills the process as usual.
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        // SIGTERM (systemd, docker stop, kill) also stops cleanly: peers save their state, transfers
        // end, and no file is left half-written under its final name. A second one kills at once.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (cts.IsCancellationRequested) return;
            context.Cancel = true;
            cts.Cancel();
        });
        var context = new CliContext(Console.Out, Console.Error, !Console.IsErrorRedirected, cts.Token) { StdoutIsTerminal = !Console.IsOutputRedirected };
        return await CliApp.RunAsync(args, context).ConfigureAwait(false);
    }

    // A node process (`master`, `peer`) is asynchronous throughout and holds a pool thread only for
    // short work (a 64 KiB write into the page cache, hashing, planning), so pool threads beyond one
    // per core only add wake-ups and context switches, which cost most where cores are few. Measured
    // on the namespace LAN (16 peers on 2 cores, interleaved runs in bench/RESULTS.md): efficiency
    // 0.56-0.61 with the default pool, 0.61 capped. The demo (four nodes in one process) keeps the
    // default pool: capped, it was slower.
    private static void LimitPoolThreads()
    {
        ThreadPool.GetMaxThreads(out _, out int completionPorts);
        ThreadPool.SetMaxThreads(Environment.ProcessorCount, completionPorts);
    }
}
