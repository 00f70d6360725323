using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Rules for relative paths that travel in manifests. A path must be safe to create under the sync
/// root on both Windows and Linux: '/'-separated, no root, no '.' or '..', no characters or device
/// names Windows refuses, no trailing dot or space, not the reserved state folder.
/// </summary>
public static class ManifestPath
{
    private static readonly HashSet<string> ReservedDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        "COM\u00B9", "COM\u00B2", "COM\u00B3", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    };

    /// <summary>Longest path segment, in UTF-16 units (NTFS and ext4 both allow 255).</summary>
    public const int MaxSegmentLength = 255;

    /// <summary>Returns why <paramref name="path"/> is not acceptable, or null when it is.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "the path is empty";
        if (path![0] == '/' || path[0] == '\\') return "absolute paths are not allowed";
        if (path.Length >= 2 && path[1] == ':') return "drive-qualified paths are not allowed";
        if (path.IndexOf('\\') >= 0) return "backslashes are not allowed (use '/')";
        if (StateFolder.Contains(path)) return $"'{StateFolder.Name}' is reserved for LanScatter's own state";

        foreach (var segment in path.Split('/'))
        {
            var problem = SegmentProblem(segment);
            if (problem is not null) return problem;
        }
        return null;
    }

    /// <summary>Throws <see cref="InvalidManifestException"/> naming the path when it is not acceptable.</summary>
    public static void Validate(string? path)
    {
        var problem = Problem(path);
        if (problem is not null) throw new InvalidManifestException($"invalid path '{path}': {problem}");
    }

    private static string? SegmentProblem(string segment)
    {
        if (segment.Length == 0) return "empty path segments ('//' or a trailing '/') are not allowed";
        if (segment == "." || segment == "..") return "'.' and '..' segments are not allowed";
        if (segment.Length > MaxSegmentLength) return $"a name is longer than {MaxSegmentLength} characters";
        foreach (char c in segment)
        {
            if (c < 0x20) return "control characters are not allowed";
            if (c is '<' or '>' or ':' or '"' or '|' or '?' or '*') return $"the character '{c}' is not allowed on Windows";
        }
        char last = segment[segment.Length - 1];
        if (last == '.' || last == ' ') return "names ending in '.' or ' ' are not allowed on Windows";
        int dot = segment.IndexOf('.');
        var stem = (dot < 0 ? segment : segment.Substring(0, dot)).TrimEnd(' ');
        if (ReservedDeviceNames.Contains(stem)) return $"'{stem}' is a reserved device name on Windows";
        return null;
    }

    /// <summary>The folders above a relative '/'-path, outermost first ("a", "a/b" for "a/b/c").</summary>
    public static IEnumerable<string> Parents(string relativePath)
    {
        for (int slash = relativePath.IndexOf('/'); slash >= 0; slash = relativePath.IndexOf('/', slash + 1)) yield return relativePath.Substring(0, slash);
    }

    /// <summary>Turns a relative '/'-path into a path under <paramref name="root"/> for this OS.</summary>
    public static string ToLocal(string root, string relativePath) =>
        System.IO.Path.Combine(root, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));
}
