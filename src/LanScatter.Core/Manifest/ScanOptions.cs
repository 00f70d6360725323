namespace LanScatter.Core.Manifest;

/// <summary>How to scan a folder into a manifest.</summary>
public sealed record ScanOptions
{
    /// <summary>Chunk size in bytes; null picks one from the folder's size (<see cref="ChunkSizing.Adaptive"/>).</summary>
    public long? ChunkSize { get; init; }

    /// <summary>Hashing workers; 0 means one per core.</summary>
    public int Workers { get; init; }

    /// <summary>Reuse and update the hash cache in the folder's state folder.</summary>
    public bool UseHashCache { get; init; } = true;

    /// <summary>The hash cache a caller keeps across scans of the same folder (a master's rescans); loaded from the folder when null.</summary>
    internal HashCache? Cache { get; init; }

    /// <summary>False: the caller saves <see cref="Cache"/> itself, later (<see cref="FolderScanner.SaveCache"/>).</summary>
    internal bool SaveCache { get; init; } = true;

    /// <summary>Paths left out of the manifest (not distributed).</summary>
    public PathFilter? Exclude { get; init; }

    /// <summary>Told of each entry left out for a reason worth a warning (links not followed, nested LanScatter folders).</summary>
    public Action<string, string>? Skipped { get; init; }

    /// <summary>Receives progress now and then (from worker threads).</summary>
    public IProgress<ScanProgress>? Progress { get; init; }
}

/// <summary>Scan progress: bytes to hash in all, how many are done, how many came from the cache.</summary>
public readonly record struct ScanProgress(int Files, long TotalBytes, long HashedBytes, long ReusedBytes);
