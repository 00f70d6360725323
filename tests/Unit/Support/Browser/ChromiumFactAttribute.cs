namespace LanScatter.Tests.Support.Browser;

/// <summary>A test that drives a headless Chromium: reported as skipped where none is installed.</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Executable.Value is null) Skip = "no Chromium here (Debian: apt-get install chromium; or set LANSCATTER_CHROMIUM)";
    }
}
