using LanScatter.Core.Security;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter secret new | read-token</c>: make a swarm secret, or show the read-only token of one.</summary>
internal static class SecretCommand
{
    public const string Usage = "lanscatter secret new | lanscatter secret read-token [--secret-file FILE]";

    public const string Help = """
        new          prints a new random swarm secret (256 bits). Keep it in a file only administrators
                     read, and give master and peers the same one: --secret-file FILE, or the
                     LANSCATTER_SECRET environment variable (-Secret or -SecretFile in PowerShell).
        read-token   prints the read-only token of the swarm secret (from --secret-file FILE or
                     LANSCATTER_SECRET): it opens the status page (as the password; any user name),
                     /api/swarm and metrics (Authorization: Bearer TOKEN), never chunks or control actions.
        """;

    public static Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "secret-file" }, new HashSet<string>());
        switch (a.Positional.Count == 1 ? a.Positional[0] : null)
        {
            case "new":
                if (a.Has("secret-file")) throw new UsageException("'secret new' prints a new secret; write it to a file with: lanscatter secret new > FILE");
                context.Stdout.WriteLine(SwarmSecret.NewSecret());
                return Task.FromResult(CliApp.ExitOk);
            case "read-token":
                var secret = SwarmSecret.Resolve(a.Value("secret-file"))
                    ?? throw new UsageException($"no swarm secret: give --secret-file FILE or set {SwarmSecret.EnvironmentVariable}");
                context.Stdout.WriteLine(secret.ReadToken);
                return Task.FromResult(CliApp.ExitOk);
            default:
                throw new UsageException("expected 'new' or 'read-token': " + Usage);
        }
    }
}
