namespace LanScatter.Core.Storage;

/// <summary>
/// Where a fetched chunk's bytes go first: a range of a file being built. <see cref="WholeFile"/>:
/// the chunk is the file's whole content, so the file is created (or emptied) by the write itself
/// instead of being made in advance, which for thousands of small files cost more than their bytes.
/// </summary>
internal record struct ChunkTarget(string FullPath, long Offset, int Length, bool WholeFile = false)
{
    /// <summary>Opens the place for writing: a whole-file place is created afresh; any other must exist (made at its full size).</summary>
    public FileStream OpenForWrite() =>
        new(FullPath, WholeFile ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
}
