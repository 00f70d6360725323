namespace LanScatter.Core.Manifest;

/// <summary>A byte range of a file on disk to hash as one chunk.</summary>
internal record struct ChunkSource(string FullPath, long Offset, int Length);
