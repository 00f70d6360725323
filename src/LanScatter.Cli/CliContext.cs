namespace LanScatter.Cli;

/// <summary>What a command may use of its host: output streams, whether stderr is a terminal, cancellation (Ctrl+C).</summary>
internal sealed record CliContext(TextWriter Stdout, TextWriter Stderr, bool StderrIsTerminal, CancellationToken Cancellation);
