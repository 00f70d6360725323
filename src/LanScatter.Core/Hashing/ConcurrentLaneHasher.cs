#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#endif
using static LanScatter.Core.Hashing.Blake2bConstants;

namespace LanScatter.Core.Hashing;

/// <summary>
/// BLAKE2b of several streams that arrive at the same time (a node's concurrent downloads),
/// computed together in SIMD lanes: verifying four downloads costs about as much CPU as one.
/// Each stream gets a lane with a staging buffer; when a buffer fills, every lane holding enough
/// data is compressed in one pass. Streams beyond the lane count, or on CPUs without SIMD, are
/// hashed on their own. Digests are exactly those of <see cref="Blake2b"/>. Thread-safe.
/// </summary>
internal sealed class ConcurrentLaneHasher
{
    private readonly object _gate = new();
    private readonly Lane[] _lanes;
    private readonly int _laneBytes;

    /// <param name="laneBytes">Staging buffer per lane (a multiple of 128 bytes, at least 1 KiB).</param>
    public ConcurrentLaneHasher(int laneBytes = 256 * 1024)
    {
        if (laneBytes < 1024 || laneBytes % BlockBytes != 0) throw new ArgumentOutOfRangeException(nameof(laneBytes));
        _laneBytes = laneBytes;
        int width = Blake2bLanes.Width;
        _lanes = new Lane[width == 1 ? 0 : width];
        for (int i = 0; i < _lanes.Length; i++) _lanes[i] = new Lane(laneBytes);
    }

    /// <summary>Streams that can be hashed in lanes at once; further streams are hashed on their own.</summary>
    public int LaneCount => _lanes.Length;

    /// <summary>SIMD passes that served more than one stream (for tests and diagnostics).</summary>
    internal long SharedPasses { get; private set; }

    /// <summary>Bytes copied into lane buffers to wait for a shared pass (for tests and diagnostics).</summary>
    internal long StagedBytes { get; private set; }

    /// <summary>Starts hashing one stream; dispose the result if the stream is abandoned.</summary>
    public StreamHash Start(int digestLength = 32)
    {
        var hasher = new Blake2b(digestLength);
        lock (_gate)
        {
            foreach (var lane in _lanes)
            {
                if (lane.InUse) continue;
                lane.InUse = true;
                lane.Count = 0;
                lane.Hasher = hasher;
                return new StreamHash(this, lane, hasher);
            }
        }
        return new StreamHash(null, null, hasher);
    }

    internal sealed class Lane
    {
        public Lane(int bytes)
        {
#if NET8_0_OR_GREATER
            // Pinned, so the SIMD pass can gather from every lane's buffer by address.
            Words = GC.AllocateUninitializedArray<ulong>(bytes / 8, pinned: true);
#else
            Words = new ulong[bytes / 8];
#endif
        }

        public readonly ulong[] Words;
        public Span<byte> Bytes => System.Runtime.InteropServices.MemoryMarshal.AsBytes(Words.AsSpan());
        public int Count;
        public bool InUse;
        public Blake2b? Hasher;

        // The last byte stays staged: the block that holds it may be the final one.
        public int CompressibleBlocks => Count <= BlockBytes ? 0 : (Count - 1) / BlockBytes;
    }

    internal void Update(Lane lane, ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            // Data that would fill the lane while too few others hold enough to share a pass is
            // hashed straight from the caller's buffer: staging it would only add a copy (a
            // download's 256 KiB piece fills a lane at once, so this is the common case).
            if (lane.Count + data.Length >= _laneBytes && Partners(lane).Count < MinShared)
            {
                HashAlone(lane, data);
                return;
            }
            while (!data.IsEmpty)
            {
                int n = Math.Min(_laneBytes - lane.Count, data.Length);
                data.Slice(0, n).CopyTo(lane.Bytes.Slice(lane.Count));
                lane.Count += n;
                StagedBytes += n;
                data = data.Slice(n);
                if (lane.Count == _laneBytes) Drain(lane);
            }
        }
    }

    internal void Finish(Lane lane, Span<byte> output)
    {
        lock (_gate)
        {
            var hasher = lane.Hasher!;
            hasher.Update(lane.Bytes.Slice(0, lane.Count));
            Release(lane);
            hasher.Finish(output);
        }
    }

    internal void Release(Lane lane)
    {
        lock (_gate)
        {
            lane.InUse = false;
            lane.Count = 0;
            lane.Hasher = null;
        }
    }

    private void HashAlone(Lane lane, ReadOnlySpan<byte> data)
    {
        var hasher = lane.Hasher!;
        hasher.Update(lane.Bytes.Slice(0, lane.Count));
        hasher.Update(data);
        // The hasher holds its last block back (it may be the final one); the lane holds it
        // instead, because a shared pass needs every byte not yet compressed in the lane.
        hasher.Buffer.AsSpan(0, hasher.Buffered).CopyTo(lane.Bytes);
        lane.Count = hasher.Buffered;
        hasher.Buffered = 0;
    }

    // The lane and every other with at least a quarter buffer of data: those a pass would take.
    private List<Lane> Partners(Lane full)
    {
        int minimum = _laneBytes / 4 / BlockBytes;
        var ready = new List<Lane>(_lanes.Length) { full };
        foreach (var lane in _lanes)
        {
            if (lane != full && lane.InUse && lane.CompressibleBlocks >= minimum) ready.Add(lane);
        }
        return ready;
    }

    // Frees room in a full lane: one SIMD pass over every lane with at least a quarter buffer of
    // data (as many blocks as the emptiest of them has), or the lane alone if too few others are ready.
    private void Drain(Lane full)
    {
        var ready = Partners(full);
        // The lane kernel keeps the counter's high word at zero; streams past 2^63 bytes go alone.
        // So do fewer than MinShared: a 4-wide pass costs what four streams cost.
        if (ready.Count < MinShared || ready.Any(l => l.Hasher!.T1 != 0 || l.Hasher.T0 > ulong.MaxValue / 2))
        {
            int blocks = full.CompressibleBlocks;
            full.Hasher!.CompressWholeBlocks(full.Bytes.Slice(0, blocks * BlockBytes));
            Consume(full, blocks);
            return;
        }
        int common = ready.Min(l => l.CompressibleBlocks);
        CompressTogether(ready, common);
        SharedPasses++;
        foreach (var lane in ready) Consume(lane, common);
    }

#if NET8_0_OR_GREATER
    // Two streams cost less alone than in a 4-wide pass on both hosts measured: an Intel host
    // (rows 0.94 GB/s a stream, a pass 0.8 for two) and AMD Zen 5 (scalar 1.0 GB/s; passes of two
    // 1.3× the cost of hashing both alone, ConcurrentHashingBenchmarks in bench/RESULTS.md).
    private static readonly int MinShared = Blake2bRows.IsSupported ? 3 : 2;
#else
    private const int MinShared = 2;
#endif

    private static void Consume(Lane lane, int blocks)
    {
        int bytes = blocks * BlockBytes;
        var span = lane.Bytes;
        span.Slice(bytes, lane.Count - bytes).CopyTo(span);
        lane.Count -= bytes;
    }

#if NET8_0_OR_GREATER
    private static unsafe void CompressTogether(List<Lane> ready, int blocks)
    {
        int width = Blake2bLanes.KernelWidthFor(ready.Count);
        // The lanes' buffers are pinned: each is addressed by its distance in bytes from the first.
        byte* base0 = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ready[0].Words));
        Span<long> offsets = stackalloc long[ready.Count];
        for (int k = 0; k < ready.Count; k++)
            offsets[k] = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ready[k].Words)) - base0;
        Blake2bLanes.CompressInLanes(ready.Select(l => l.Hasher!).ToList(), base0, offsets, width, blocks);
    }
#else
    private static void CompressTogether(List<Lane> ready, int blocks) => throw new PlatformNotSupportedException();
#endif
}
