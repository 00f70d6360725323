using LanScatter.Core.Diagnostics;
using LanScatter.Core.Hashing;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Hashes many chunks fast with flat memory: one worker per core, each hashing a batch of chunks
/// side by side in SIMD lanes (<see cref="Blake2bLanes"/>) while the next slice of every lane is
/// read in the background. Memory is two slices per lane per worker, whatever the folder size.
/// </summary>
internal sealed class ChunkHasher
{
    private readonly int _workers;
    private readonly int _sliceBytes;

    public ChunkHasher(int workers = 0, int sliceBytes = 512 * 1024)
    {
        if (sliceBytes < 4096 || sliceBytes % 128 != 0) throw new ArgumentOutOfRangeException(nameof(sliceBytes));
        _workers = workers > 0 ? workers : Environment.ProcessorCount;
        _sliceBytes = sliceBytes;
    }

    /// <summary>Returns each chunk's id, in the order given. <paramref name="bytesHashed"/> receives increments.</summary>
    public async Task<string[]> HashAsync(IReadOnlyList<ChunkSource> chunks, Action<long>? bytesHashed = null, CancellationToken cancellationToken = default)
    {
        var ids = new string[chunks.Count];
        if (chunks.Count == 0) return ids;

        // Longest first, so the chunks of one batch are of similar length and lanes stay busy.
        int width = Blake2bLanes.Width;
        var order = Enumerable.Range(0, chunks.Count).OrderByDescending(i => chunks[i].Length).ToArray();
        var batches = new List<int[]>();
        for (int i = 0; i < order.Length; i += width) batches.Add(order.Skip(i).Take(width).ToArray());

        int next = -1;
        var workers = Enumerable.Range(0, Math.Min(_workers, batches.Count)).Select(_ => Task.Run(async () =>
        {
            var buffers = new[] { new byte[width * _sliceBytes], new byte[width * _sliceBytes] };
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await HashBatchAsync(chunks, batches[b], ids, buffers, bytesHashed, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return ids;
    }

    private async Task HashBatchAsync(IReadOnlyList<ChunkSource> chunks, int[] batch, string[] ids, byte[][] buffers, Action<long>? bytesHashed, CancellationToken ct)
    {
        int lanes = batch.Length;
        var streams = new FileStream[lanes];
        var hashers = new Blake2b[lanes];
        var remaining = new long[lanes];
        try
        {
            for (int k = 0; k < lanes; k++)
            {
                var c = chunks[batch[k]];
                streams[k] = Open(c.FullPath);
                streams[k].Position = c.Offset;
                hashers[k] = new Blake2b(ChunkId.DigestBytes);
                remaining[k] = c.Length;
            }

            int current = 0;
            var lengths = ReadStep(streams, remaining, buffers[current], chunks, batch);
            while (lengths.Any(n => n > 0))
            {
                ct.ThrowIfCancellationRequested();
                // Read the next slice of every lane while this one is hashed.
                var nextBuffer = buffers[1 - current];
                var nextRead = remaining.Any(r => r > 0)
                    ? Task.Run(() => ReadStep(streams, remaining, nextBuffer, chunks, batch), ct)
                    : Task.FromResult(new int[lanes]);
                HashStep(hashers, buffers[current], lengths);
                bytesHashed?.Invoke(lengths.Sum(n => (long)n));
                lengths = await nextRead.ConfigureAwait(false);
                current = 1 - current;
            }
            for (int k = 0; k < lanes; k++) ids[batch[k]] = ChunkId.FromHasher(hashers[k]);
        }
        finally
        {
            foreach (var s in streams) s?.Dispose();
        }
    }

    // Lanes are sorted longest first, so those still active are always a prefix.
    private void HashStep(Blake2b[] hashers, byte[] buffer, int[] lengths)
    {
        int active = 0;
        while (active < lengths.Length && lengths[active] > 0) active++;
        int common = lengths.Take(active).Min() / 128 * 128;
        if (common > 0) Blake2bLanes.Update(new ArraySegment<Blake2b>(hashers, 0, active), buffer, _sliceBytes, common);
        for (int k = 0; k < active; k++)
        {
            if (lengths[k] > common) hashers[k].Update(buffer.AsSpan(k * _sliceBytes + common, lengths[k] - common));
        }
    }

    private int[] ReadStep(FileStream[] streams, long[] remaining, byte[] buffer, IReadOnlyList<ChunkSource> chunks, int[] batch)
    {
        var lengths = new int[streams.Length];
        for (int k = 0; k < streams.Length; k++)
        {
            int want = (int)Math.Min(_sliceBytes, remaining[k]);
            int got = 0;
            try
            {
                while (got < want)
                {
                    int n = streams[k].Read(buffer, k * _sliceBytes + got, want - got);
                    if (n == 0) throw new LanScatterException("FileChanged", $"'{chunks[batch[k]].FullPath}' became shorter while it was being read");
                    got += n;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LanScatterException("FileUnreadable", $"cannot read '{chunks[batch[k]].FullPath}': {ex.Message}", ex);
            }
            remaining[k] -= got;
            lengths[k] = got;
        }
        return lengths;
    }

    private static FileStream Open(string path)
    {
        try
        {
            // No FileStream buffer: reads go straight into our slices.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("FileUnreadable", $"cannot read '{path}': {ex.Message}", ex);
        }
    }
}
