using System.Buffers;
using LanScatter.Core.Hashing;
using LanScatter.Core.Manifest;

namespace LanScatter.Core.Storage;

/// <summary>
/// Copies one chunk from where it lies on disk to every other place a folder needs it: read once,
/// hashed on the way, written to each place. A chunk repeated a thousand times (a disk image's zero
/// blocks) costs one read and one hash, not a thousand.
/// </summary>
internal static class ChunkCopier
{
    private const int PieceBytes = 1 << 20;

    /// <summary>
    /// True when the source's bytes match <paramref name="id"/> and were written to every place;
    /// false when they do not match or the source is shorter (the places then hold unverified bytes).
    /// Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the source
    /// cannot be read, and a <see cref="LocalDisk"/> error when a place cannot be written.
    /// </summary>
    public static async Task<bool> CopyAsync(ChunkSource source, string id, IReadOnlyList<ChunkTarget> places, CancellationToken cancellationToken)
    {
        if (places.Any(p => p.Length != source.Length)) return false;
        var outputs = new Dictionary<string, FileStream>(StringComparer.Ordinal);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(source.Length, PieceBytes));
        try
        {
            using var input = new FileStream(source.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            foreach (var p in places)
            {
                if (!outputs.ContainsKey(p.FullPath))
                    outputs[p.FullPath] = LocalDisk.Run(p.FullPath, p.OpenForWrite);
            }
            var hasher = new Blake2b(ChunkId.DigestBytes);
            input.Position = source.Offset;
            long done = 0;
            while (done < source.Length)
            {
                int want = (int)Math.Min(buffer.Length, source.Length - done);
                // A chunk of one piece (a small file) is read at once: the async read is the same
                // call behind a thread-pool hop, which for thousands of small duplicates cost more.
                int n = source.Length <= PieceBytes ? input.Read(buffer, 0, want) : await input.ReadAsync(buffer, 0, want, cancellationToken).ConfigureAwait(false);
                if (n == 0) return false;
                hasher.Update(buffer.AsSpan(0, n));
                foreach (var p in places)
                {
                    var output = outputs[p.FullPath];
                    output.Position = p.Offset + done;
                    try
                    {
                        output.Write(buffer, 0, n);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        throw LocalDisk.Error(p.FullPath, ex);
                    }
                }
                done += n;
            }
            if (ChunkId.FromHasher(hasher) != id) return false;
            foreach (var pair in outputs) LocalDisk.Run(pair.Key, pair.Value.Flush);
            return true;
        }
        finally
        {
            foreach (var output in outputs.Values) output.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
