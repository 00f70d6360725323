using LanScatter.Core.Manifest;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Transport;

/// <summary>
/// Serves <c>GET /chunks/{id}</c> (and bundles of small chunks, <see cref="BundleResponder"/>): the id is looked up among chunks the node holds, never used as a
/// path; unknown ids get 404. Bytes go out through the node's upload limit. A peer also relays a
/// chunk it is still receiving: bytes go out as they arrive, and if the chunk fails to arrive the
/// response is cut short (the receiver, which verifies every chunk, sees a broken transfer).
/// </summary>
internal static class ChunkResponder
{
    public const string Prefix = "/chunks/";

    /// <summary>How long a relay request waits for this node's own fetch of the chunk to begin.</summary>
    private static readonly TimeSpan RelayStartWait = TimeSpan.FromSeconds(5);

    /// <summary>How long a relay waits for its upstream's next bytes before giving up.</summary>
    private static readonly TimeSpan RelayStallLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long one write may wait for a receiver that does not read before the response is cut off.</summary>
    internal static TimeSpan WriteStallLimit { get; set; } = TimeSpan.FromSeconds(60);

    public static async Task ServeAsync(HttpExchange context, Func<string, ChunkSource?> locate, ArrivingChunks? arriving, TokenBucket upload, Action<long> sent, CancellationToken cancellationToken)
    {
        var id = context.Request.Path.Substring(Prefix.Length);
        var response = context.Response;
        if (context.Request.Method != "GET") { response.StatusCode = 405; return; }
        if (id.IndexOf(BundleResponder.Separator) >= 0)
        {
            await BundleResponder.ServeAsync(context, id.Split(BundleResponder.Separator), locate, upload, sent, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!ChunkId.IsValid(id)) { response.StatusCode = 404; return; }

        var (held, relay) = await FindAsync(id, locate, arriving, cancellationToken).ConfigureAwait(false);
        var source = held ?? (relay is null ? null : new ChunkSource(relay.Target.FullPath, relay.Target.Offset, relay.Target.Length));
        if (source is null) { response.StatusCode = 404; return; }
        // A chunk that is a whole file is written to a file created by its first bytes: open it once some are in.
        if (relay is not null && await ReadyAsync(relay, 0, cancellationToken).ConfigureAwait(false) <= 0)
        {
            response.Abort(); // the chunk will not arrive: the receiver sees a broken transfer
            return;
        }

        // Sent by sendfile where the runtime has it (a relayed chunk as its bytes land), else read and written.
        var options = SendsFromFile ? FileOptions.SequentialScan | FileOptions.Asynchronous : FileOptions.SequentialScan;
        var input = TryOpen(source.Value, options);
        // A file being built can take its final name between locating it (or its first bytes arriving)
        // and opening it, a small file the moment it is whole: locate once more, now as a held chunk,
        // rather than answer 404 and have a healthy source blamed.
        if (input is null && locate(id) is { } renamed)
        {
            source = renamed;
            relay = null;
            input = TryOpen(renamed, options);
        }
        if (input is null) { response.StatusCode = 404; return; }
        using (input)
        {
            response.ContentType = "application/octet-stream";
            response.ContentLength = source.Value.Length;
            long done = 0, length = source.Value.Length, offset = source.Value.Offset;
            // A held file cut shorter since it was located sends what it has: the receiver sees a short chunk and rejects it.
            if (relay is null && SendsFromFile) length = Math.Min(length, Math.Max(0, input.Length - offset));
            input.Position = offset;
            var buffer = SendsFromFile ? null : new byte[64 * 1024];
            using var stall = new StallGuard(WriteStallLimit, response.Abort);
            try
            {
                while (done < length)
                {
                    long ready = relay is null ? length : await ReadyAsync(relay, done, cancellationToken).ConfigureAwait(false);
                    if (ready <= done)
                    {
                        response.Abort(); // the chunk will not arrive whole: cut the response short
                        return;
                    }
                    int n;
                    if (buffer is null)
                    {
                        n = (int)Math.Min(upload.Piece(FilePieceBytes), ready - done);
                        await SendFromFileAsync(response, input, offset + done, n, upload, stall, sent, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        // Synchronous: chunks being served are normally in the page cache (just received or
                        // just read by another upload), and the async form is the same read behind a thread-pool hop.
                        n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, ready - done));
                        if (n == 0) break; // the file shrank: the receiver sees a short chunk and rejects it
                        await SendAsync(response, buffer, n, upload, stall, sent, cancellationToken).ConfigureAwait(false);
                    }
                    done += n;
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The receiver went away (aborted transfer); nothing to do.
            }
        }
    }

    /// <summary>Chunks are sent with sendfile on .NET 8 and later; Windows PowerShell 5.1's runtime reads and writes them.</summary>
#if NET8_0_OR_GREATER
    private const bool SendsFromFile = true;
#else
    private const bool SendsFromFile = false;
#endif

    /// <summary>The piece sent from a file at once: one pass through the upload limit and the stall guard, one system call.</summary>
    internal const int FilePieceBytes = 256 * 1024;

    // A piece straight from the page cache to the socket, through the upload limit, the stall guard armed around the send.
#if NET8_0_OR_GREATER
    private static async Task SendFromFileAsync(ServerResponse response, FileStream input, long offset, int count, TokenBucket upload, StallGuard stall, Action<long> sent, CancellationToken cancellationToken)
    {
        await upload.WaitAsync(count, cancellationToken).ConfigureAwait(false);
        stall.Arm();
        await response.SendFileAsync(input, offset, count).ConfigureAwait(false);
        stall.Disarm();
        sent(count);
    }
#else
    private static Task SendFromFileAsync(ServerResponse response, FileStream input, long offset, int count, TokenBucket upload, StallGuard stall, Action<long> sent, CancellationToken cancellationToken) =>
        throw new PlatformNotSupportedException("sending from a file needs .NET 8 or later");
#endif

    /// <summary>Writes <paramref name="count"/> bytes of the buffer through the upload limit, the stall guard armed around the write.</summary>
    internal static async Task SendAsync(ServerResponse response, byte[] buffer, int count, TokenBucket upload, StallGuard stall, Action<long> sent, CancellationToken cancellationToken)
    {
        await upload.WaitAsync(count, cancellationToken).ConfigureAwait(false);
        stall.Arm();
        await response.OutputStream.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
        stall.Disarm();
        sent(count);
    }

    /// <summary>The file holding a chunk, or null when it cannot be opened (gone, renamed, no access).</summary>
    /// <param name="options">Read-ahead advice for a chunk read in many pieces; none for a small file read in one call (bundles).</param>
    internal static FileStream? TryOpen(ChunkSource source, FileOptions options = FileOptions.SequentialScan)
    {
        try
        {
            return new FileStream(source.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // A held chunk, else one on its way. A relay request can overtake the master's order to fetch
    // the chunk here, or arrive as the fetch finishes, so for a while it looks again whenever a
    // fetch begins or ends (and every 100 ms as a backstop).
    private static async Task<(ChunkSource? Held, ArrivingChunk? Relay)> FindAsync(string id, Func<string, ChunkSource?> locate, ArrivingChunks? arriving, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RelayStartWait;
        while (true)
        {
            if (locate(id) is { } held) return (held, null);
            if (arriving is null) return (null, null);
            if (arriving.Find(id) is { } relay && relay.Outcome != true) return (null, relay);
            if (DateTime.UtcNow >= deadline) return (null, null);
            await arriving.WhenChangedAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    // Bytes of a relayed chunk that may be sent, waiting for more than `done`; `done` or less when
    // the chunk failed or stalled.
    private static async Task<long> ReadyAsync(ArrivingChunk relay, long done, CancellationToken cancellationToken)
    {
        var stallDeadline = DateTime.UtcNow + RelayStallLimit;
        while (true)
        {
            long available = relay.Available;
            if (available > done) return available;
            if (relay.Outcome is not null) return relay.Outcome == true ? relay.Target.Length : done;
            var left = stallDeadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return done;
            // The fetch always ends (it is aborted when stuck); the deadline is only a backstop.
            await SignalWait.ForAsync(relay.WhenBeyondAsync(done), left, cancellationToken).ConfigureAwait(false);
        }
    }
}
