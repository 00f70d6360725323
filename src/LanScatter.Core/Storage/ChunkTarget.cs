namespace LanScatter.Core.Storage;

/// <summary>Where a fetched chunk's bytes go first: a range of a file being built.</summary>
public readonly record struct ChunkTarget(string FullPath, long Offset, int Length);
