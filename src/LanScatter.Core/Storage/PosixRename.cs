using System.Runtime.InteropServices;

namespace LanScatter.Core.Storage;

/// <summary>
/// rename(2) straight from libc on Linux and macOS. .NET's <c>File.Move(overwrite)</c> first looks
/// at both paths (two lstat calls); for thousands of small files the looks cost more than the rename.
/// </summary>
internal static class PosixRename
{
    // Cleared for good if libc cannot be called (then File.Move does the work).
    private static volatile bool _usable = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public static bool IsUsable => _usable;

    /// <summary>
    /// Renames <paramref name="from"/> over <paramref name="to"/> (a file there is replaced atomically).
    /// False on any failure (a folder in the way, a missing parent): the caller then looks first.
    /// </summary>
    public static bool TryReplace(string from, string to)
    {
        try
        {
            return Rename(from, to) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _usable = false;
            return false;
        }
    }

    // Strings go to libc as UTF-8 on Unix.
    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);
}
