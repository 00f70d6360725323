namespace LanScatter.Core.Manifest;

/// <summary>A file in a manifest: relative '/'-path, size, last write time (UTC) and its chunks in order.</summary>
public sealed record ManifestFile(string Path, long Size, DateTime ModifiedUtc, IReadOnlyList<ManifestChunk> Chunks);
