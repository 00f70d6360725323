using LanScatter.Core.Manifest;

namespace LanScatter.Core.Protocol;

/// <summary>
/// Manifests of more than about a thousand files, and changes too big for a control message, travel
/// by reference: the welcome or delta carries the digest of the manifest's compact index
/// (<see cref="ManifestPieces"/>); the peer fetches the index from <c>/api/manifest</c> and keeps
/// it only if it hashes to that digest, then each piece from <c>/api/manifest/{id}</c>.
/// </summary>
internal static class ManifestReference
{
    /// <summary>Largest manifest or delta sent inside a message: escaped as a JSON string it grows by up to half, well under the 16 MiB message limit.</summary>
    internal static int InlineLimit { get; set; } = 4 << 20;

    /// <summary>
    /// Largest welcome manifest sent inline, in bytes of its compact form. Above it the reference is
    /// cheaper even on loopback: JSON is several times the compact bytes (10,000 files: 3.6 MB as an
    /// escaped string against 510 KiB), and it was made and parsed twice for every peer, where the
    /// pieces are made once. A peer joining with 10,000 small files spent 9 % less CPU by reference.
    /// </summary>
    internal static int WelcomeInlineCompactLimit { get; set; } = 64 << 10;

    /// <summary>The manifest as JSON text for a welcome when it is small, else null (it travels by reference).</summary>
    public static string? InlineText(FolderManifest manifest, EncodedManifest wire)
    {
        // JSON is never smaller than the compact form (full paths, hex ids, names): no need to make it.
        if (wire.Bytes > Math.Min(InlineLimit, WelcomeInlineCompactLimit)) return null;
        var utf8 = ManifestJson.SerializeToUtf8(manifest);
        return utf8.Length <= InlineLimit ? System.Text.Encoding.UTF8.GetString(utf8) : null;
    }

    /// <summary>What a manifest sent by reference is checked against: the id of its index.</summary>
    public static string Digest(byte[] index) => ChunkId.Of(index);

    /// <summary>The delta as it is, or, when its lists are too big to send, a reference to the whole new manifest.</summary>
    public static ManifestDeltaMessage Shrink(ManifestDeltaMessage delta, Func<string> fullDigest)
    {
        long size = (delta.FullManifest?.Length ?? 0) + (delta.Upserts?.Length ?? 0)
            + (delta.Removed?.Sum(p => (long)p.Length + 4) ?? 0) + (delta.EmptyDirectories?.Sum(p => (long)p.Length + 4) ?? 0);
        if (size <= InlineLimit) return delta;
        return new ManifestDeltaMessage { BaseVersion = delta.BaseVersion, Version = delta.Version, FullManifestDigest = fullDigest() };
    }
}
