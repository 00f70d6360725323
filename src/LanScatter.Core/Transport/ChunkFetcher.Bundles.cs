using LanScatter.Core.Hashing;
using LanScatter.Core.Manifest;
using LanScatter.Core.Security;
using LanScatter.Core.Storage;
using LanScatter.Core.Transport.Chunks;

namespace LanScatter.Core.Transport;

/// <summary>One chunk of a bundle and the place its bytes go.</summary>
internal record struct BundlePart(string Id, ChunkTarget Target);

/// <summary>
/// How a bundle's fetch ended: which parts arrived whole and match their ids; for the others the
/// error (<see cref="ChunkFetcher.HashMismatch"/> for bytes that arrived but do not match).
/// </summary>
internal sealed record BundleOutcome(string?[] Errors, long Bytes, double Seconds, bool SourceAtFault)
{
    public bool Verified(int part) => Errors[part] is null;
}

// Bundles: many small chunks in one request (BundleResponder), each written to its place and verified on its own.
internal sealed partial class ChunkFetcher
{
    /// <summary>
    /// A bundle is read 1 MiB at a time (unlimited): the small files that lie whole in one read are
    /// hashed together in SIMD lanes (<see cref="Blake2bBatch"/>), about 30 of the mixed set's files
    /// per read; a file split between reads is hashed as it arrives.
    /// </summary>
    internal const int BundlePieceBytes = 1 << 20;

    public async Task<BundleOutcome> FetchBundleAsync(Uri url, IReadOnlyList<BundlePart> parts, Action<int, long> received, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var errors = new string?[parts.Count];
        long bytes = 0;
        int part = 0;
        int judged = 0; // parts before this one have been checked against their ids
        long expected = parts.Sum(p => (long)p.Target.Length);
        // Parts not yet checked get the error; those before keep what they had.
        BundleOutcome Ended(string? error, bool sourceAtFault)
        {
            for (int i = judged; i < parts.Count; i++) errors[i] = error;
            return new BundleOutcome(errors, bytes, Math.Max(1e-6, (DateTime.UtcNow - started).TotalSeconds), sourceAtFault);
        }
        try
        {
            using var response = await GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return Ended($"source answered {response.StatusCode}", true);
            if (response.ContentLength is long length && length != expected)
                return Ended($"source offered {length} bytes for a bundle of {expected}", true);
            using var pooled = new PooledBuffer(BundlePieceBytes);
            var buffer = pooled.Array;
            var inBuffer = new WholeParts();
            FileStream? output = null;
            var hasher = new Blake2b(ChunkId.DigestBytes);
            long inPart = 0;
            try
            {
                while (part < parts.Count)
                {
                    int n = await response.FillAsync(buffer, 0, _download.Piece(BundlePieceBytes)).ConfigureAwait(false);
                    if (n == 0) break;
                    await _download.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                    bool tooLong = false;
                    inBuffer.Clear();
                    for (int at = 0; at < n;)
                    {
                        if (part == parts.Count)
                        {
                            tooLong = true;
                            break;
                        }
                        var target = parts[part].Target;
                        if (output is null)
                        {
                            output = LocalDisk.Run(target.FullPath, target.OpenForWrite);
                            output.Position = target.Offset;
                        }
                        int take = (int)Math.Min(n - at, target.Length - inPart);
                        bool whole = inPart == 0 && take == target.Length;
                        if (whole) inBuffer.Add(part, at, take);
                        else hasher.Update(buffer.AsSpan(at, take));
                        try
                        {
                            output.Write(buffer, at, take);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                        {
                            throw LocalDisk.Error(target.FullPath, ex);
                        }
                        at += take;
                        inPart += take;
                        bytes += take;
                        received(part, take);
                        if (inPart < target.Length) continue;
                        // The part is whole: closed (into the page cache) before the next begins.
                        LocalDisk.Run(target.FullPath, output.Flush);
                        output.Dispose();
                        output = null;
                        if (!whole)
                        {
                            if (ChunkId.FromHasher(hasher) != parts[part].Id) errors[part] = HashMismatch;
                            hasher = new Blake2b(ChunkId.DigestBytes);
                        }
                        part++;
                        inPart = 0;
                    }
                    inBuffer.Check(buffer.AsSpan(0, n), parts, errors);
                    judged = part;
                    if (tooLong) return Ended("source sent more bytes than the bundle has", true);
                }
            }
            finally
            {
                output?.Dispose();
            }
            return part == parts.Count ? Ended(null, false) : Ended($"source sent {bytes} of {expected} bytes", true);
        }
        catch (Exception ex) when (SourceError(ex, cancellationToken) is { } error)
        {
            return Ended(error, true);
        }
    }

    /// <summary>The parts that lie whole in one read, checked together.</summary>
    private sealed class WholeParts
    {
        private readonly List<int> _parts = new();
        private readonly List<int> _offsets = new();
        private readonly List<int> _lengths = new();

        public void Clear()
        {
            _parts.Clear();
            _offsets.Clear();
            _lengths.Clear();
        }

        public void Add(int part, int offset, int length)
        {
            _parts.Add(part);
            _offsets.Add(offset);
            _lengths.Add(length);
        }

        public void Check(ReadOnlySpan<byte> buffer, IReadOnlyList<BundlePart> parts, string?[] errors)
        {
            if (_parts.Count == 0) return;
            var digests = new byte[_parts.Count * ChunkId.DigestBytes];
            Blake2bBatch.Hash(buffer, _offsets.ToArray(), _lengths.ToArray(), ChunkId.DigestBytes, digests);
            for (int k = 0; k < _parts.Count; k++)
            {
                if (ChunkId.ToHex(digests.AsSpan(k * ChunkId.DigestBytes, ChunkId.DigestBytes)) != parts[_parts[k]].Id) errors[_parts[k]] = HashMismatch;
            }
        }
    }
}
