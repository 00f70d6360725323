using LanScatter.Core.Hashing;
using LanScatter.Core.Manifest;
using LanScatter.Core.Security;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport.Chunks;

namespace LanScatter.Core.Transport;

/// <summary>How a fetch ended.</summary>
internal sealed record FetchOutcome(bool Ok, long Bytes, double Seconds, string? Error, bool SourceAtFault)
{
    public bool IsHashMismatch => Error == ChunkFetcher.HashMismatch;
}

/// <summary>
/// Downloads one chunk over HTTP (<see cref="ChunkClient"/>) straight into its place in a file,
/// hashing as it streams, through the node's download limit. Bodies are read in pieces of up to
/// <see cref="PieceBytes"/>: each piece is one wake-up, one hash update and one write. The bytes
/// count only if the hash matches the chunk id. A network failure is the source's fault; a failure to write is this peer's own (<see cref="LocalDisk"/>).
/// Concurrent fetches share SIMD hashing passes (<see cref="ConcurrentLaneHasher"/>): verifying is
/// the largest CPU cost of a download.
/// </summary>
internal sealed partial class ChunkFetcher
{
    /// <summary>The error of a transfer whose bytes did not hash to the chunk id.</summary>
    public const string HashMismatch = "bytes do not match the chunk id (corrupt source)";

    /// <summary>The largest piece read, hashed and written at once (the socket's low-water mark for big bodies).</summary>
    internal const int PieceBytes = 256 * 1024;

    private readonly ChunkClient _client;
    private readonly TokenBucket _download;
    private readonly ConcurrentLaneHasher _hashLanes = new();
    private readonly SwarmSecret? _secret;

    public ChunkFetcher(ChunkClient client, TokenBucket download, SwarmSecret? secret)
    {
        _client = client;
        _download = download;
        _secret = secret;
    }

    public async Task<FetchOutcome> FetchAsync(Uri url, string id, ChunkTarget target, Action<long> received, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        long bytes = 0;
        double Seconds() => Math.Max(1e-6, (DateTime.UtcNow - started).TotalSeconds);
        try
        {
            using var response = await GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return new FetchOutcome(false, 0, Seconds(), $"source answered {response.StatusCode}", true);
            if (response.ContentLength is long offered && offered != target.Length)
                return new FetchOutcome(false, 0, Seconds(), $"source offered {offered} bytes for a chunk of {target.Length}", true);
            using var hash = _hashLanes.Start(ChunkId.DigestBytes);
            using var output = LocalDisk.Run(target.FullPath, target.OpenForWrite);
            output.Position = target.Offset;
            using var buffer = new PooledBuffer(PieceBytes);
            while (true)
            {
                int n = await response.FillAsync(buffer.Array, 0, Piece()).ConfigureAwait(false);
                if (n == 0) break;
                if (bytes + n > target.Length) return new FetchOutcome(false, bytes, Seconds(), "source sent more bytes than the chunk has", true);
                await _download.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                hash.Update(buffer.Array.AsSpan(0, n));
                // Synchronous: a write into the page cache takes microseconds; the async form only
                // queues the same blocking call to the thread pool, a hop per piece.
                // Not through LocalDisk.Run: no delegate per piece on the hot path.
                try
                {
                    output.Write(buffer.Array, 0, n);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw LocalDisk.Error(target.FullPath, ex);
                }
                bytes += n;
                received(n);
            }
            if (bytes != target.Length) return new FetchOutcome(false, bytes, Seconds(), $"source sent {bytes} of {target.Length} bytes", true);
            if (ChunkId.FromHash(hash) != id) return new FetchOutcome(false, bytes, Seconds(), HashMismatch, true);
            LocalDisk.Run(target.FullPath, output.Flush);
            return new FetchOutcome(true, bytes, Seconds(), null, false);
        }
        catch (Exception ex) when (SourceError(ex, cancellationToken) is { } error)
        {
            return new FetchOutcome(false, bytes, Seconds(), error, true);
        }
    }

    // Under a tight download limit a piece is smaller: a transfer is never taken for stalled while a whole piece trickles in.
    private int Piece() => _download.Piece(PieceBytes);

    private Task<ChunkResponse> GetAsync(Uri url, CancellationToken cancellationToken) =>
        _client.GetAsync(url, HttpCredentials.Authorization(_secret, "GET", url.PathAndQuery), cancellationToken);

    // A failure of the source or the network, said in a few words; null for anything else (our own
    // disk, or a cancellation that was asked for), which the caller does not catch.
    private static string? SourceError(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        System.Net.Sockets.SocketException => "source unreachable: " + ex.Message,
        IOException => "transfer broke: " + ex.Message,
        OperationCanceledException when !cancellationToken.IsCancellationRequested => "timed out",
        _ => null,
    };
}
