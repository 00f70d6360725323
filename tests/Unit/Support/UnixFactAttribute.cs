namespace LanScatter.Tests.Support;

/// <summary>A test that makes symbolic links as an ordinary user can only on Unix: reported as skipped on Windows.</summary>
internal sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "symbolic links need extra rights on Windows";
    }
}
