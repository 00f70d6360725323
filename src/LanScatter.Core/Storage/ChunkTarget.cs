namespace LanScatter.Core.Storage;

/// <summary>
/// Where a fetched chunk's bytes go first: a range of a file being built. <see cref="WholeFile"/>:
/// the chunk is the file's whole content, so the file is created by the write itself instead of
/// being made in advance, which for thousands of small files cost more than their bytes.
/// </summary>
internal record struct ChunkTarget(string FullPath, long Offset, int Length, bool WholeFile = false)
{
    /// <summary>Opens the place for writing: a whole-file place is created afresh; any other must exist (made at its full size).</summary>
    public FileStream OpenForWrite()
    {
        if (!WholeFile) return Open(FileMode.Open);
        // Created new rather than truncated: ext4 writes a file truncated to zero back to disk as
        // soon as it is closed (its guard against empty files after a crash), a disk write per file.
        try
        {
            return Open(FileMode.CreateNew);
        }
        catch (IOException) when (File.Exists(FullPath))
        {
            File.Delete(FullPath); // left by an earlier attempt
            return Open(FileMode.CreateNew);
        }
    }

    private FileStream Open(FileMode mode) => new(FullPath, mode, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
}
