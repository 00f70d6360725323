namespace LanScatter.Core.Manifest;

/// <summary>
/// Manifest file lists as scans and deltas make them, sorted by path (ordinal), and the walks and
/// searches that order allows: a million files compared, merged or searched without a dictionary of
/// their paths. Callers check <see cref="IsSorted"/> first where a list comes from outside.
/// </summary>
internal static class PathOrder
{
    public static bool IsSorted(IReadOnlyList<ManifestFile> files)
    {
        for (int i = 1; i < files.Count; i++)
        {
            if (string.CompareOrdinal(files[i - 1].Path, files[i].Path) >= 0) return false;
        }
        return true;
    }

    /// <summary>The index of the first file whose path is not before <paramref name="path"/>.</summary>
    public static int LowerBound(IReadOnlyList<ManifestFile> files, string path)
    {
        int lo = 0, hi = files.Count;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (string.CompareOrdinal(files[mid].Path, path) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>True when some file lies inside the folder: the first path at or after "dir/" starts with it if any does.</summary>
    public static bool HasFileInside(IReadOnlyList<ManifestFile> files, string dir)
    {
        var prefix = dir + "/";
        int at = LowerBound(files, prefix);
        return at < files.Count && files[at].Path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Walks two sorted lists together, in path order: <paramref name="both"/> for a path in each (its
    /// index in either), <paramref name="onlyBefore"/> and <paramref name="onlyAfter"/> for the rest.
    /// </summary>
    public static void Pair(IReadOnlyList<ManifestFile> before, IReadOnlyList<ManifestFile> after, Action<int, int> both, Action<int> onlyBefore, Action<int> onlyAfter)
    {
        int i = 0, j = 0;
        while (i < before.Count || j < after.Count)
        {
            int order = i == before.Count ? 1 : j == after.Count ? -1 : string.CompareOrdinal(before[i].Path, after[j].Path);
            if (order < 0) onlyBefore(i++);
            else if (order > 0) onlyAfter(j++);
            else both(i++, j++);
        }
    }

    /// <summary>Two sorted lists of different paths as one sorted list.</summary>
    public static List<ManifestFile> Merge(IEnumerable<ManifestFile> kept, IReadOnlyList<ManifestFile> added)
    {
        var result = new List<ManifestFile>();
        int j = 0;
        foreach (var f in kept)
        {
            while (j < added.Count && string.CompareOrdinal(added[j].Path, f.Path) < 0) result.Add(added[j++]);
            result.Add(f);
        }
        while (j < added.Count) result.Add(added[j++]);
        return result;
    }
}
