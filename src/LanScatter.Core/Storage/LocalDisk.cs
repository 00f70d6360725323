using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Storage;

/// <summary>
/// Marks failures of this node's own disk (full, read-only, gone) as such: a <see cref="LanScatterException"/>
/// "LocalDiskError" naming the file, so they are never blamed on a source and end the node with a
/// clear reason instead of being retried in a loop.
/// </summary>
internal static class LocalDisk
{
    public const string ErrorId = "LocalDiskError";

    public static T Run<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error(path, ex);
        }
    }

    public static void Run(string path, Action action) => Run(path, () => { action(); return true; });

    public static LanScatterException Error(string path, Exception ex) =>
        new(ErrorId, "cannot write to the local disk: " + (ex.Message.Contains(path) ? ex.Message : $"{ex.Message.TrimEnd('.')} ('{path}')"), ex);
}
