using System.Text;
using System.Text.RegularExpressions;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Paths left alone (<c>-Exclude</c> / <c>--exclude</c>), as PowerShell wildcards (<c>*</c>, <c>?</c>,
/// <c>[a-z]</c>, case-insensitive) on '/'-separated paths relative to the folder. A pattern without
/// '/' matches a file or folder name at any depth (<c>*.log</c>, <c>Thumbs.db</c>, <c>cache</c>); one
/// with '/' matches the whole relative path (<c>config/local.json</c>, <c>logs/*</c>). An excluded
/// folder excludes everything in it.
/// </summary>
public sealed class PathFilter
{
    private readonly Regex[] _names;
    private readonly Regex[] _paths;

    private PathFilter(IReadOnlyList<string> patterns, Regex[] names, Regex[] paths)
    {
        Patterns = patterns;
        _names = names;
        _paths = paths;
    }

    /// <summary>Excludes nothing.</summary>
    public static PathFilter None { get; } = new(Array.Empty<string>(), Array.Empty<Regex>(), Array.Empty<Regex>());

    public IReadOnlyList<string> Patterns { get; }
    public bool IsEmpty => Patterns.Count == 0;

    /// <summary>Throws a <see cref="LanScatterException"/> (InvalidOption) naming a pattern that cannot be used.</summary>
    public static PathFilter Parse(IEnumerable<string>? patterns)
    {
        var list = (patterns ?? Array.Empty<string>()).ToList();
        if (list.Count == 0) return None;
        var names = new List<Regex>();
        var paths = new List<Regex>();
        foreach (var raw in list)
        {
            var pattern = (raw ?? "").Replace('\\', '/').Trim('/');
            if (pattern.Length == 0) throw new LanScatterException("InvalidOption", $"exclude pattern '{raw}' is empty");
            if (pattern.Split('/').Any(s => s is "" or "." or "..")) throw new LanScatterException("InvalidOption", $"exclude pattern '{raw}' must be a path inside the folder, without '.' or '..'");
            var regex = new Regex("^" + ToRegex(pattern, raw ?? "") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            (pattern.Contains('/') ? paths : names).Add(regex);
        }
        return new PathFilter(list, names.ToArray(), paths.ToArray());
    }

    /// <summary>True when the relative path, or a folder it is in, is excluded.</summary>
    public bool Excludes(string relativePath)
    {
        if (IsEmpty) return false;
        for (int end = relativePath.IndexOf('/'); ; end = relativePath.IndexOf('/', end + 1))
        {
            if (Matches(end < 0 ? relativePath : relativePath.Substring(0, end))) return true;
            if (end < 0) return false;
        }
    }

    /// <summary>The manifest without excluded files and folders: what a peer with this filter follows.</summary>
    public FolderManifest Apply(FolderManifest manifest) =>
        IsEmpty ? manifest : new FolderManifest(manifest.ChunkSize, manifest.Files.Where(f => !Excludes(f.Path)).ToList(), manifest.EmptyDirectories.Where(d => !Excludes(d)).ToList());

    // The entry itself: its name against name patterns, its whole path against path patterns.
    private bool Matches(string path)
    {
        int slash = path.LastIndexOf('/');
        var name = slash < 0 ? path : path.Substring(slash + 1);
        return _names.Any(r => r.IsMatch(name)) || _paths.Any(r => r.IsMatch(path));
    }

    // PowerShell wildcard rules: * any run, ? one character, [...] a set or range, ` escapes the next character.
    private static string ToRegex(string pattern, string raw)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '`' when i + 1 < pattern.Length: sb.Append(Regex.Escape(pattern[++i].ToString())); break;
                case '[':
                    int close = pattern.IndexOf(']', i + 1);
                    if (close <= i + 1) throw new LanScatterException("InvalidOption", $"exclude pattern '{raw}' has a '[' without a matching ']'");
                    var set = pattern.Substring(i + 1, close - i - 1).Replace("\\", "\\\\").Replace("^", "\\^");
                    sb.Append('[').Append(set).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }
}
