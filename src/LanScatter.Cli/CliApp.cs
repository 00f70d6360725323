using LanScatter.Cli.Commands;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Cli;

/// <summary>Dispatches a command line to its command and turns failures into one line and an exit code.</summary>
internal static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;
    public const int ExitCancelled = 130;

    private static readonly Dictionary<string, (Func<string[], CliContext, Task<int>> Run, string Usage, string Help)> Commands = new()
    {
        ["demo"] = (DemoCommand.RunAsync, DemoCommand.Usage, DemoCommand.Help),
        ["master"] = (MasterCommand.RunAsync, MasterCommand.Usage, MasterCommand.Help),
        ["peer"] = (PeerCommand.RunAsync, PeerCommand.Usage, PeerCommand.Help),
        ["manifest"] = (ManifestCommand.RunAsync, ManifestCommand.Usage, ManifestCommand.Help),
        ["simulate"] = (SimulateCommand.RunAsync, SimulateCommand.Usage, SimulateCommand.Help),
        ["secret"] = (SecretCommand.RunAsync, SecretCommand.Usage, SecretCommand.Help),
        ["status"] = (StatusCommand.RunAsync, StatusCommand.Usage, StatusCommand.Help),
    };

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            if (args.Length > 1 && Commands.TryGetValue(args[1], out var c)) context.Stdout.WriteLine($"usage: {c.Usage}\n\n{c.Help}");
            else PrintOverview(context.Stdout);
            return args.Length == 0 ? ExitUsage : ExitOk;
        }
        if (args[0] is "--version" or "version")
        {
            context.Stdout.WriteLine("lanscatter " + typeof(CliApp).Assembly.GetName().Version?.ToString(3));
            return ExitOk;
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            context.Stderr.WriteLine($"lanscatter: unknown command '{args[0]}' (try: lanscatter --help)");
            return ExitUsage;
        }
        var rest = args.Skip(1).ToArray();
        if (rest.Any(a => a is "-h" or "--help"))
        {
            context.Stdout.WriteLine($"usage: {command.Usage}\n\n{command.Help}");
            return ExitOk;
        }

        try
        {
            return await command.Run(rest, context).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            context.Stderr.WriteLine($"lanscatter {args[0]}: {ex.Message}");
            return ExitUsage;
        }
        catch (LanScatterException ex)
        {
            context.Stderr.WriteLine($"lanscatter {args[0]}: error: {ex.Message}");
            return ExitFailure;
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            context.Stderr.WriteLine($"lanscatter {args[0]}: cancelled");
            return ExitCancelled;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Stderr.WriteLine($"lanscatter {args[0]}: error: {ex.Message}");
            return ExitFailure;
        }
    }

    private static void PrintOverview(TextWriter output)
    {
        output.WriteLine("lanscatter: distribute a folder from one master to many peers on a LAN.");
        output.WriteLine();
        output.WriteLine("commands:");
        foreach (var (_, c) in Commands) output.WriteLine("  " + c.Usage);
        output.WriteLine();
        output.WriteLine("lanscatter COMMAND --help shows a command's options.");
    }
}
