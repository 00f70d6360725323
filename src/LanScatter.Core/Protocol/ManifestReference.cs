using LanScatter.Core.Manifest;

namespace LanScatter.Core.Protocol;

/// <summary>
/// Manifests too big for a control message (a folder of tens of thousands of files) travel by
/// reference: the welcome or delta carries the manifest's digest, and the peer fetches
/// <c>/api/manifest</c> over HTTP and keeps it only if it hashes to that digest.
/// </summary>
internal static class ManifestReference
{
    /// <summary>Largest manifest sent inside a message: escaped as a JSON string it grows by up to half, well under the 16 MiB message limit.</summary>
    internal static int InlineLimit { get; set; } = 4 << 20;

    public static bool Inline(byte[] utf8) => utf8.Length <= InlineLimit;

    /// <summary>What a manifest sent by reference is checked against: the id of its UTF-8.</summary>
    public static string Digest(byte[] utf8) => ChunkId.Of(utf8);

    /// <summary>The delta as it is, or, when its lists are too big to send, a reference to the whole new manifest.</summary>
    public static ManifestDeltaMessage Shrink(ManifestDeltaMessage delta, Func<string> fullDigest)
    {
        long size = (delta.FullManifest?.Length ?? 0) + (delta.Upserts?.Length ?? 0)
            + (delta.Removed?.Sum(p => (long)p.Length + 4) ?? 0) + (delta.EmptyDirectories?.Sum(p => (long)p.Length + 4) ?? 0);
        if (size <= InlineLimit) return delta;
        return new ManifestDeltaMessage { BaseVersion = delta.BaseVersion, Version = delta.Version, FullManifestDigest = fullDigest() };
    }
}
