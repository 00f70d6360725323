namespace LanScatter.Core.Storage;

/// <summary>Where a fetched chunk's bytes go first: a range of a file being built.</summary>
internal record struct ChunkTarget(string FullPath, long Offset, int Length);
