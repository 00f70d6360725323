using LanScatter.Cli;

namespace LanScatter.Tests.Support;

/// <summary>Runs the <c>lanscatter</c> command line in-process, capturing its output (not a terminal).</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, new CliContext(stdout, stderr, false, CancellationToken.None)).Within(120);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
