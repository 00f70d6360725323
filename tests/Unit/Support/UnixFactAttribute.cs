namespace LanScatter.Tests.Support;

/// <summary>A test of something only Unix has (signals, links an ordinary user can make): reported as skipped on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute(string why = "symbolic links need extra rights on Windows")
    {
        if (OperatingSystem.IsWindows()) Skip = why;
    }
}
