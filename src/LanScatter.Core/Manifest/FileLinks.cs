namespace LanScatter.Core.Manifest;

/// <summary>
/// Where a link to a file leads, for a master that distributes such a link as the file it points to.
/// Only a final target that is a file inside the root is followed: a link leading out of the folder
/// would publish what the folder's owner did not put there, and one that dangles or loops has nothing
/// to send.
/// </summary>
internal static class FileLinks
{
    /// <summary>The target file, or null with the reason it is not followed.</summary>
    public static FileInfo? Follow(FileInfo link, string root, out string? reason)
    {
#if NET8_0_OR_GREATER
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            reason = $"the link cannot be resolved ({ex.Message.TrimEnd('.')})";
            return null;
        }
        if (target is not FileInfo file || !file.Exists)
        {
            reason = target is DirectoryInfo ? "a link to a folder is not followed" : "the link points to nothing";
            return null;
        }
        var inside = root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!file.FullName.StartsWith(inside, comparison))
        {
            reason = $"the link points outside the folder (to '{file.FullName}')";
            return null;
        }
        reason = null;
        return file;
#else
        // Windows PowerShell 5.1's .NET Framework cannot resolve links: none is followed there.
        reason = "links are not followed by this build (Windows PowerShell 5.1); use PowerShell 7";
        return null;
#endif
    }
}
