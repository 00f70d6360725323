using System.Diagnostics;

namespace LanScatter.Tests.Support;

/// <summary>An independent BLAKE2b-256: the system's <c>b2sum -l 256</c>, else Python's hashlib.</summary>
internal static class ReferenceBlake2b
{
    public static string? Tool { get; } = Find();

    private static string? Find()
    {
        foreach (var name in new[] { "b2sum", "python3" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return name;
            }
        }
        return null;
    }

    public static string HashFile(string path)
    {
        var psi = Tool == "b2sum"
            ? new ProcessStartInfo("b2sum") { ArgumentList = { "-l", "256", path } }
            : new ProcessStartInfo("python3") { ArgumentList = { "-c", "import hashlib,sys;print(hashlib.blake2b(open(sys.argv[1],'rb').read(),digest_size=32).hexdigest())", path } };
        psi.RedirectStandardOutput = true;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName);
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) throw new TimeoutException(psi.FileName + " did not finish");
        Assert.Equal(0, process.ExitCode);
        return output.Split(' ', '\n')[0].Trim();
    }
}
