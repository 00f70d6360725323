using LanScatter.Core.Storage;

namespace LanScatter.Cli;

/// <summary>The demo's sample data: incompressible files of uneven sizes, a duplicate, an empty file, nested and empty folders.</summary>
internal static class SampleFolder
{
    public static void Create(string root, long totalBytes)
    {
        Directory.CreateDirectory(Path.Combine(root, "docs", "empty"));
        Directory.CreateDirectory(Path.Combine(root, "images", "2026"));
        var random = new Random(2026);
        long first = totalBytes / 2, second = totalBytes / 4, third = totalBytes - first - second - totalBytes / 8;
        Write(Path.Combine(root, "images", "2026", "disk.img"), first, random);
        Write(Path.Combine(root, "packages", "tools.zip"), second, random);
        Write(Path.Combine(root, "docs", "manual.pdf"), Math.Max(1, third), random);
        // A copy of the zip's first part: its chunks are fetched once and copied locally.
        using (var input = File.OpenRead(Path.Combine(root, "packages", "tools.zip")))
        using (var output = File.Create(Path.Combine(root, "packages", "tools-copy.zip")))
        {
            var buffer = new byte[totalBytes / 8];
            int n = input.Read(buffer, 0, buffer.Length);
            output.Write(buffer, 0, n);
        }
        File.WriteAllText(Path.Combine(root, "README.txt"), "LanScatter demo data\n");
        File.WriteAllBytes(Path.Combine(root, "docs", "empty.txt"), Array.Empty<byte>());
    }

    private static void Write(string path, long bytes, Random random)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = File.Create(path);
        var buffer = new byte[1 << 20];
        for (long left = bytes; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            f.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
        }
    }

    /// <summary>Null when both folders hold the same files with the same bytes (state folders aside), else what differs.</summary>
    public static string? Compare(string expected, string actual)
    {
        static List<string> List(string root) => Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(root, e)).Where(r => r.Split(Path.DirectorySeparatorChar)[0] != StateFolder.Name)
            .OrderBy(r => r, StringComparer.Ordinal).ToList();
        var a = List(expected);
        var b = List(actual);
        var missing = a.Except(b).FirstOrDefault();
        if (missing is not null) return $"'{missing}' is missing";
        var extra = b.Except(a).FirstOrDefault();
        if (extra is not null) return $"'{extra}' should not be there";
        foreach (var rel in a.Where(r => File.Exists(Path.Combine(expected, r))))
        {
            using var x = File.OpenRead(Path.Combine(expected, rel));
            using var y = File.OpenRead(Path.Combine(actual, rel));
            if (x.Length != y.Length) return $"'{rel}' has a different size";
            var bx = new byte[1 << 20];
            var by = new byte[1 << 20];
            int n;
            while ((n = x.Read(bx, 0, bx.Length)) > 0)
            {
                int m = 0;
                while (m < n) { int r = y.Read(by, m, n - m); if (r == 0) break; m += r; }
                if (!bx.AsSpan(0, n).SequenceEqual(by.AsSpan(0, n))) return $"'{rel}' has different bytes";
            }
        }
        return null;
    }
}
