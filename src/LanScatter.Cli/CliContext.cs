namespace LanScatter.Cli;

/// <summary>What a command may use of its host: output streams, whether they are terminals, cancellation (Ctrl+C).</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, bool StderrIsTerminal, CancellationToken Cancellation)
{
    public bool StdoutIsTerminal { get; init; }
}
