using System.Text.Json;
using LanScatter.Core.Nodes;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter status HOST[:PORT]</c>: the swarm as a master sees it, once or every few seconds.</summary>
internal static class StatusCommand
{
    public const string Usage = "lanscatter status HOST[:PORT] [--json] [--watch] [--interval S] [--secret-file FILE]";

    public const string Help = """
        Prints the swarm of the master at HOST[:PORT] (default port 10564): a row per node with its state,
        progress, rates and last error — what Get-LsSwarm returns in PowerShell.
          --json              the master's /api/swarm document as JSON instead of a table
          --watch             print again every --interval seconds (default 2) until Ctrl+C
          --secret-file FILE  the swarm secret, when the master has one (default: LANSCATTER_SECRET)
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "secret-file", "interval" }, new HashSet<string> { "json", "watch" });
        if (a.Positional.Count != 1) throw new UsageException("expected the master's address: " + Usage);
        var (host, port) = Arguments.Address(a.Positional[0], MasterOptions.DefaultPort);
        var interval = TimeSpan.FromSeconds(a.Int("interval", 2, 1, 3600));
        using var client = new SwarmClient(host, port, TimeSpan.FromSeconds(10), SwarmSecret.Resolve(a.Value("secret-file")));
        bool watch = a.Has("watch");
        try
        {
            while (true)
            {
                var swarm = await client.GetSwarmAsync(context.Cancellation).ConfigureAwait(false);
                var text = a.Has("json") ? JsonSerializer.Serialize(swarm, ProtocolJsonContext.Default.SwarmDocument) : SwarmTable.Render(swarm);
                // Watching on a terminal redraws in place; redirected, each report follows the last with its time.
                if (watch && context.StdoutIsTerminal) context.Stdout.Write("\u001b[H\u001b[2J");
                else if (watch) context.Stdout.WriteLine(DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
                context.Stdout.WriteLine(text);
                if (!watch) return CliApp.ExitOk;
                await Task.Delay(interval, context.Cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (watch && context.Cancellation.IsCancellationRequested)
        {
            return CliApp.ExitOk; // Ctrl+C is how watching ends: not a failure
        }
    }
}
