namespace LanScatter.Core.Manifest;

/// <summary>One chunk of a file: its byte range and id (BLAKE2b-256 of those bytes, lowercase hex).</summary>
public readonly record struct ManifestChunk(long Offset, int Length, string Id);
