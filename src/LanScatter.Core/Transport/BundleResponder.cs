using LanScatter.Core.Manifest;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport.Chunks;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Transport;

/// <summary>
/// Serves a bundle, <c>GET /chunks/{id},{id},…</c>: the chunks' bytes one after the other in the
/// order asked, so a folder of small files costs one request per bundle instead of one per file.
/// Only chunks the node holds are served (bundles are never relayed); if one is unknown the whole
/// request gets 404, and if a file shrinks or goes while it is sent the response is cut short (the
/// receiver verifies every chunk and keeps those that arrived whole).
/// </summary>
internal static class BundleResponder
{
    /// <summary>Separates the ids in a bundle's path.</summary>
    public const char Separator = ',';

    /// <summary>The request path of a bundle of these chunks.</summary>
    public static string PathOf(IEnumerable<string> ids) => ChunkResponder.Prefix + string.Join(Separator.ToString(), ids);

    public static async Task ServeAsync(HttpExchange context, string[] ids, Func<string, ChunkSource?> locate, TokenBucket upload, Action<long> sent, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var sources = new ChunkSource[ids.Length];
        long total = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (!ChunkId.IsValid(ids[i]) || locate(ids[i]) is not { } source) { response.StatusCode = 404; return; }
            sources[i] = source;
            total += source.Length;
        }
        response.ContentType = "application/octet-stream";
        response.ContentLength = total;
        // Small chunks are gathered into one pooled buffer and written together: one write per
        // 256 KiB (a chunk's piece), not per file, and no new buffer to clear per bundle.
        using var pooled = new PooledBuffer(ChunkResponder.FilePieceBytes);
        var buffer = pooled.Array;
        int filled = 0;
        using var stall = new StallGuard(ChunkResponder.WriteStallLimit, response.Abort);
        try
        {
            for (int i = 0; i < ids.Length; i++)
            {
                // Where this part's bytes begin in the buffer: what comes before is whole parts, sent
                // even when this one cannot be (the receiver keeps every part that arrived whole).
                int partStart = filled;
                // A file being built can take its final name between locating and opening it: locate once more.
                var source = sources[i];
                var opened = ChunkResponder.TryOpen(source, FileOptions.None);
                if (opened is null && locate(ids[i]) is { } renamed && renamed.Length == source.Length) opened = ChunkResponder.TryOpen(source = renamed, FileOptions.None);
                using var input = opened;
                if (input is null)
                {
                    await CutShortAsync(response, buffer, partStart, upload, stall, sent, cancellationToken).ConfigureAwait(false);
                    return;
                }
                input.Position = source.Offset;
                long left = source.Length;
                while (left > 0)
                {
                    int n = input.Read(buffer, filled, (int)Math.Min(buffer.Length - filled, left));
                    if (n == 0) // the file shrank
                    {
                        await CutShortAsync(response, buffer, partStart, upload, stall, sent, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                    filled += n;
                    left -= n;
                    if (filled < buffer.Length) continue;
                    await ChunkResponder.SendAsync(response, buffer, filled, upload, stall, sent, cancellationToken).ConfigureAwait(false);
                    filled = partStart = 0;
                }
            }
            if (filled > 0) await ChunkResponder.SendAsync(response, buffer, filled, upload, stall, sent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // The receiver went away, or a file could not be read: the response ends short either way.
            response.Abort();
        }
    }

    // Sends the whole parts still in the buffer, then ends the response short of its length.
    private static async Task CutShortAsync(ServerResponse response, byte[] buffer, int wholeParts, TokenBucket upload, StallGuard stall, Action<long> sent, CancellationToken cancellationToken)
    {
        if (wholeParts > 0) await ChunkResponder.SendAsync(response, buffer, wholeParts, upload, stall, sent, cancellationToken).ConfigureAwait(false);
        response.EndShort();
    }
}
