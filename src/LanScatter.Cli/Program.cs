using System.Runtime.InteropServices;

namespace LanScatter.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
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
}
