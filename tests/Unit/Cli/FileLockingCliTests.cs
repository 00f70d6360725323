using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

public class FileLockingCliTests
{
    [UnixFact("advisory locks exist on Unix only; Windows sharing modes are enforced by the system")]
    public async Task A_file_another_dotnet_program_holds_exclusively_is_still_read()
    {
        // This test process keeps .NET's lock emulation, so FileShare.None takes an exclusive flock.
        // The CLI turns the emulation off (three system calls per small file): it reads the file as
        // cp or rsync would. With the emulation on, the scan failed on it.
        using var dir = new TempFolder();
        dir.Write("held.txt", TestData.Random(10_000, 3));
        using var held = new FileStream(Path.Combine(dir.Path, "held.txt"), FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        using var cli = CliProcess.Start("manifest", dir.Path);
        var (code, err) = await cli.ExitAsync(60);
        Assert.True(code == 0, err);
        Assert.Equal("", err);
    }
}
