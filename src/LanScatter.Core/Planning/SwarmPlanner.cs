namespace LanScatter.Core.Planning;

/// <summary>
/// Decides who fetches which chunk from whom. Pure and synchronous: events in (nodes joining and
/// leaving, chunks gained, transfers finished or failed), transfer orders out; no I/O, time is
/// passed in, ties are broken by a seeded hash, so the same events give the same plan.
/// Chunks are indices of unique chunk ids: a chunk that occurs twice in a folder is fetched once
/// and copied locally by the peer.
/// </summary>
/// <remarks>
/// Policy: every free upload slot is filled (upload capacity is what a swarm runs out of), peers
/// before the master so the master's uplink stays free to feed chunks no peer has yet. Each
/// uploader serves the downloader with the fewest downloads in flight (then the one furthest
/// behind; a slow peer serves slow receivers only, a fast source fast receivers first; the master's
/// uploads are shared out among the receivers, see MasterShareOf), and sends
/// it the rarest chunk it lacks. A transfer is judged against what both ends
/// can do: a slow receiver is never blamed on its source. With relays, a peer also passes on
/// chunks it is still receiving; when such a chunk fails to arrive, its relays are aborted.
/// </remarks>
internal sealed class SwarmPlanner
{
    private readonly PlannerOptions _options;
    private readonly long[] _chunkBytes;
    private readonly bool[] _bundled;
    private readonly int[] _holders;
    private readonly int[] _incoming;
    private readonly List<PlannerNode> _nodes = new();
    private readonly Dictionary<long, ActiveTransfer> _active = new();
    private readonly RecentRates _recent = new();
    private readonly List<AbortOrder> _pendingAborts = new();
    private long _nextTransferId = 1;

    // Incremental planning: free slots are tracked as they change, and only pairs involving a node
    // whose state changed since the last pass (a freed slot, a new chunk, a join) can newly match.
    // A full pass now and then covers what time alone changes (penalties expiring).
    private readonly IndexSet _freeUploaders = new();
    private readonly IndexSet _freeDownloaders = new();
    private IndexSet _dirty = new();
    private IndexSet _dirtyNext = new();
    private TimeSpan _nextFullPass = TimeSpan.MinValue;

    // Scratch lists reused by every pass: planning runs on every event and must not feed the GC.
    private readonly List<PlannerNode> _allDownloaders = new();
    private readonly List<PlannerNode> _dirtyDownloaders = new();
    private readonly List<PlannerNode> _uploaders = new();
    private readonly List<(int Copies, ulong Tie, int Chunk)> _bundleCandidates = new();
    private double[] _fastestIncoming = Array.Empty<double>();
    private int _needing; // nodes that still need chunks, counted at each matching round the master takes part in

    /// <summary>Relay hops one planning call can chain (each round pairs what the last one changed).</summary>
    private const int MaxRoundsPerPlan = 8;

    /// <summary>How often time-based checks (timeouts, expired penalties) run, at most.</summary>
    private static readonly TimeSpan PassInterval = TimeSpan.FromSeconds(1);

    /// <param name="chunkBytes">The size of each chunk.</param>
    /// <param name="options">Tuning.</param>
    /// <param name="wholeFiles">Which chunks are the whole content of a file: small ones of those travel in bundles; none when null.</param>
    public SwarmPlanner(IReadOnlyList<long> chunkBytes, PlannerOptions? options = null, IReadOnlyList<bool>? wholeFiles = null)
    {
        _options = options ?? new PlannerOptions();
        _chunkBytes = chunkBytes.ToArray();
        _bundled = new bool[_chunkBytes.Length];
        if (wholeFiles is not null)
        {
            for (int c = 0; c < _chunkBytes.Length; c++) _bundled[c] = wholeFiles[c] && _chunkBytes[c] <= _options.BundleChunkBytes;
        }
        if (_chunkBytes.Any(b => b <= 0)) throw new ArgumentException("Chunk sizes must be positive.", nameof(chunkBytes));
        _holders = new int[_chunkBytes.Length];
        _incoming = new int[_chunkBytes.Length];
    }

    public int ChunkCount => _chunkBytes.Length;

    /// <summary>Transfers started from a node that was still receiving the chunk.</summary>
    public long RelaysStarted { get; private set; }

    /// <summary>Bundles started that carry more than one file.</summary>
    public long BundlesStarted { get; private set; }
    public IEnumerable<TransferOrder> ActiveTransfers => _active.Values.Select(t => t.Order);

    /// <summary>Adds a node and returns its index. The master normally has every chunk.</summary>
    public int AddNode(bool isMaster, int maxUploads, int maxDownloads, IEnumerable<int>? has = null)
    {
        if (maxUploads < 0 || maxDownloads < 0) throw new ArgumentOutOfRangeException(nameof(maxUploads));
        var node = new PlannerNode(_nodes.Count, isMaster, maxUploads, maxDownloads, ChunkCount);
        _nodes.Add(node);
        if (has is not null) foreach (int c in has) ChunkGained(node.Index, c);
        Changed(node);
        return node.Index;
    }

    /// <summary>
    /// A node left: it is never used again, and transfers touching it are dropped (returned so they
    /// can be cancelled). A node that said it was leaving (<paramref name="keepUploads"/>) waited for
    /// its uploads to be written before it went, but the last bytes may still be on their way in the
    /// kernel's send queue: those transfers stay until their receivers report them. Cancelling them
    /// threw away chunks a slow receiver had almost whole (bench/RESULTS.md, tenth session).
    /// </summary>
    public IReadOnlyList<TransferOrder> RemoveNode(int node, bool keepUploads = false)
    {
        var n = _nodes[node];
        if (!n.Alive) return Array.Empty<TransferOrder>();
        var dropped = _active.Values.Where(t => t.Order.Target == node || t.Order.Source == node && !keepUploads).Select(t => t.Order).ToList();
        foreach (var t in dropped) Finish(t.Id);
        foreach (var t in dropped) if (t.Source == node) AbortRelaysOf(t.Target, t.Chunk);
        n.Alive = false;
        foreach (int c in n.Has.Items()) _holders[c]--;
        Changed(n);
        return dropped;
    }

    /// <summary>A node is leaving: no new uploads from it; the running ones go on (they end as planned).</summary>
    public void StopUploadsFrom(int node)
    {
        var n = _nodes[node];
        n.MaxUploads = 0;
        Changed(n);
    }

    public void ChunkGained(int node, int chunk)
    {
        var n = _nodes[node];
        n.Skip.Remove(chunk);
        if (n.Has.Add(chunk) && n.Alive) _holders[chunk]++;
        Changed(n);
    }

    /// <summary>A node no longer has a chunk (its file changed or was found corrupt).</summary>
    public void ChunkLost(int node, int chunk)
    {
        var n = _nodes[node];
        if (n.Has.Remove(chunk) && n.Alive) _holders[chunk]--;
        Changed(n);
    }

    /// <summary>
    /// The chunks a node will not take (replacing what it said before). Kept apart from what it
    /// has: it is never asked to send them, and never counted as lacking them.
    /// </summary>
    public void SetSkipped(int node, IEnumerable<int> chunks)
    {
        var n = _nodes[node];
        n.Skip.Clear();
        // A skipped chunk already on its way (ordered before the peer read the manifest) is turned
        // down by the peer; until then it counts twice, which only delays this node's next order.
        foreach (int c in chunks) if (!n.Has.Contains(c)) n.Skip.Add(c);
        Changed(n);
    }

    /// <summary>Download slots of a node; 0 while it cannot take chunks yet (it is still applying a manifest).</summary>
    public void SetMaxDownloads(int node, int slots)
    {
        _nodes[node].MaxDownloads = slots;
        Changed(_nodes[node]);
    }

    public bool Has(int node, int chunk) => _nodes[node].Has.Contains(chunk);
    public int CountOf(int node) => _nodes[node].Has.Count;
    public bool IsComplete(int node) => _nodes[node].Has.Count + _nodes[node].Skip.Count == ChunkCount;

    /// <summary>Bytes arrived for a transfer: it is making progress.</summary>
    public void TransferProgress(long id, TimeSpan now)
    {
        if (_active.TryGetValue(id, out var t)) t.Group.LastProgress = now;
    }

    /// <summary>
    /// The receiver reports how many bytes of a transfer it has: progress only when that grew. It
    /// reports every second whether or not anything arrived, and a source that stalls mid-chunk must
    /// run into <see cref="PlannerOptions.NoProgressTimeout"/>, not be kept alive by the reports.
    /// </summary>
    public void TransferProgress(long id, TimeSpan now, long bytes)
    {
        // A bundle's receiver reports the bytes of the whole bundle under one of its transfers.
        if (!_active.TryGetValue(id, out var t) || bytes <= t.Group.Progress) return;
        t.Group.Progress = bytes;
        t.Group.LastProgress = now;
    }

    /// <summary>
    /// The receiver expects a transfer to end within moments: its slots are planned again now, so the
    /// next order crosses the network while the last bytes still arrive and no link idles between
    /// chunks. The chunk stays on its way to the receiver until the transfer succeeds or fails.
    /// </summary>
    public void TransferEnding(long id, TimeSpan now)
    {
        if (!_active.TryGetValue(id, out var t) || t.Ending) return;
        t.Ending = true;
        t.Group.LastProgress = now;
        ReleaseSlots(t);
    }

    /// <summary>A transfer completed and its chunk verified: the target now has it.</summary>
    public void TransferSucceeded(long id, long bytes, double seconds, TimeSpan now)
    {
        if (!_active.TryGetValue(id, out var t)) return; // aborted or dropped meanwhile
        Finish(id);
        // Relays count too: a chain of relays runs at about the pace of its head, an ordinary
        // transfer (slow nodes do not relay), and with relays most transfers between peers are relays.
        // A bundle gives one sample, its bytes over its time, once its last transfer ends.
        var group = t.Group;
        group.DoneBytes += bytes;
        group.DoneSeconds = Math.Max(group.DoneSeconds, seconds);
        if (group.Open == 0) RecordRate(t.Order, group.DoneBytes, group.DoneSeconds);
        ChunkGained(t.Order.Target, t.Order.Chunk);
    }

    /// <summary>
    /// A transfer failed (connection lost, bad bytes). The target avoids that source for a while when
    /// <paramref name="sourceAtFault"/>, so the retry goes elsewhere if anywhere else has the chunk.
    /// </summary>
    public void TransferFailed(long id, TimeSpan now, bool sourceAtFault = true)
    {
        if (!_active.TryGetValue(id, out var t)) return;
        Finish(id);
        // A relay whose source never got the chunk failed upstream, not at its source.
        bool upstream = t.Relay && !_nodes[t.Order.Source].Has.Contains(t.Order.Chunk);
        if (sourceAtFault && !upstream) Avoid(t.Order.Target, t.Order.Source, now);
        AbortRelaysOf(t.Order.Target, t.Order.Chunk);
    }

    // The chunk will not reach this node now: transfers relaying it from here cannot finish
    // (nor can theirs, further down the chain). They are aborted on the next pass, blaming no one.
    private void AbortRelaysOf(int node, int chunk)
    {
        if (_nodes[node].Has.Contains(chunk)) return;
        List<ActiveTransfer>? relays = null;
        foreach (var t in _active.Values)
        {
            if (t.Order.Source == node && t.Order.Chunk == chunk) (relays ??= new List<ActiveTransfer>()).Add(t);
        }
        if (relays is null) return;
        foreach (var t in relays)
        {
            Finish(t.Order.Id);
            _pendingAborts.Add(new AbortOrder(t.Order, AbortReason.UpstreamFailed));
            AbortRelaysOf(t.Order.Target, chunk);
        }
    }

    /// <summary>Starts what can start and aborts what is stuck. Call after every event.</summary>
    public PlanResult Plan(TimeSpan now)
    {
        // Time alone changes little: timeouts and expired penalties are looked at once per interval.
        bool full = now >= _nextFullPass;
        if (full) _nextFullPass = now + PassInterval;
        var aborts = full ? CheckTimeouts(now) : null;
        if (_pendingAborts.Count > 0)
        {
            (aborts ??= new List<AbortOrder>()).AddRange(_pendingAborts);
            _pendingAborts.Clear();
        }
        List<TransferOrder>? starts = null;

        // A node that starts receiving a chunk can relay it at once: another round pairs the nodes
        // the last one changed, so a new chunk runs down a chain of peers within one call.
        for (int round = 0; round < MaxRoundsPerPlan; round++)
        {
            (_dirty, _dirtyNext) = (_dirtyNext, _dirty);
            _dirtyNext.Clear();
            int before = starts?.Count ?? 0;
            MatchRound(full && round == 0, ref starts, now);
            if (!Relays || (starts?.Count ?? 0) == before || _dirtyNext.Count == 0) break;
        }
        if (starts is null && (aborts is null || aborts.Count == 0)) return PlanResult.Empty;
        return new PlanResult((IReadOnlyList<TransferOrder>?)starts ?? Array.Empty<TransferOrder>(), (IReadOnlyList<AbortOrder>?)aborts ?? Array.Empty<AbortOrder>());
    }

    private void MatchRound(bool full, ref List<TransferOrder>? starts, TimeSpan now)
    {
        if (_freeDownloaders.Count > 0 && _freeUploaders.Count > 0)
        {
            _allDownloaders.Clear();
            _dirtyDownloaders.Clear();
            foreach (int i in _freeDownloaders.Items)
            {
                _allDownloaders.Add(_nodes[i]);
                if (full || _dirty.Contains(i)) _dirtyDownloaders.Add(_nodes[i]);
            }
            // An unchanged uploader can only match a changed downloader, and vice versa.
            _uploaders.Clear();
            foreach (int i in _freeUploaders.Items)
            {
                if (full || _dirtyDownloaders.Count > 0 || _dirty.Contains(i)) _uploaders.Add(_nodes[i]);
            }
            double? median = _recent.Median;
            _uploaders.Sort((a, b) => CompareUploaders(a, b, median));
            // Only the master's share needs it; the master sorts last among the uploaders.
            if (_uploaders.Count > 0 && _uploaders[_uploaders.Count - 1].IsMaster)
            {
                _needing = 0;
                foreach (var n in _nodes) if (n.NeedsMore) _needing++;
            }

            // 1. The master feeds chunks no one else has or is receiving: its uplink is the only way
            //    new data enters the swarm, so it goes first, before peers take every download slot.
            // 2. Peers serve each other. 3. The master serves what is left (source of last resort).
            for (int phase = 0; phase < 2; phase++)
            {
                bool onlyUnique = phase == 0;
                foreach (var u in _uploaders)
                {
                    if (onlyUnique && !u.IsMaster) continue;
                    var candidates = full || _dirty.Contains(u.Index) ? _allDownloaders : _dirtyDownloaders;
                    if (candidates.Count > 0) Fill(u, candidates, ref starts, now, median, onlyUnique);
                }
            }
        }
    }

    // Keeps the free-slot sets true and marks the node for the next incremental pass.
    private void Changed(PlannerNode n)
    {
        _freeUploaders.Set(n.Index, n.FreeUploadSlotFor(Relays));
        _freeDownloaders.Set(n.Index, n.FreeDownloadSlot && n.NeedsMore);
        _dirtyNext.Add(n.Index);
    }

    private void Fill(PlannerNode u, List<PlannerNode> downloaders, ref List<TransferOrder>? starts, TimeSpan now, double? median, bool onlyUnique)
    {
        List<PlannerNode>? nothingFor = null;
        while (u.FreeUploadSlotFor(Relays))
        {
            bool relay = CanRelay(u, median);
            var d = BestDownloaderFor(u, downloaders, now, median, relay, nothingFor);
            if (d is null) return;
            int chunk = RarestChunk(u, d, relay, median);
            // Nothing after all: all u could offer d is still on its way to u (small files, or from
            // a slow source). Another downloader may want what u holds.
            if (chunk < 0)
            {
                (nothingFor ??= new List<PlannerNode>()).Add(d);
                continue;
            }
            if (onlyUnique && Copies(chunk) > 1) return;
            starts ??= new List<TransferOrder>();
            if (Bundles(u, chunk)) StartBundle(chunk, u, d, now, onlyUnique, starts);
            else starts.Add(Start(chunk, u, d, now, new TransferGroup(now), bundle: 0));
        }
    }

    // Small files held by the source travel many to a request (relays stay single: they stream).
    private bool Bundles(PlannerNode u, int chunk) => _bundled[chunk] && u.Has.Contains(chunk);

    // The bundle that starts with `first`: then the rarest other small chunks u holds and d lacks, up
    // to the bundle's limits, in one slot of each. The scan starts at a place that depends on the
    // target, so peers fetching from the master get different chunks to trade with each other; it
    // looks at a few bundles' worth of candidates, not at every chunk of a folder of millions.
    private void StartBundle(int first, PlannerNode u, PlannerNode d, TimeSpan now, bool onlyUnique, List<TransferOrder> starts)
    {
        var group = new TransferGroup(now);
        long bundle = _nextTransferId;
        starts.Add(Start(first, u, d, now, group, bundle));
        _bundleCandidates.Clear();
        int words = u.Has.WordCount;
        int startWord = (int)(TieBreak.Of(_options.Seed, d.Index, first) % (ulong)words);
        int enough = _options.BundleMaxChunks * 4;
        for (int k = 0; k < words && _bundleCandidates.Count < enough; k++)
        {
            int i = (startWord + k) % words;
            ulong w = u.Has.Word(i) & ~d.Has.Word(i) & ~d.Incoming.Word(i) & ~d.Skip.Word(i);
            while (w != 0)
            {
                int c = i * 64 + ChunkSet.TrailingZeros(w);
                w &= w - 1;
                if (!_bundled[c]) continue;
                int copies = Copies(c);
                if (onlyUnique && copies > 1) continue;
                _bundleCandidates.Add((copies, TieBreak.Of(_options.Seed, d.Index, c), c));
            }
        }
        _bundleCandidates.Sort();
        long bytes = _chunkBytes[first];
        foreach (var (_, _, c) in _bundleCandidates)
        {
            if (group.Open >= _options.BundleMaxChunks) break;
            if (bytes + _chunkBytes[c] > _options.BundleMaxBytes) continue; // a smaller one may still fit
            bytes += _chunkBytes[c];
            starts.Add(Start(c, u, d, now, group, bundle));
        }
        if (group.Open > 1) BundlesStarted++;
    }

    private bool Relays => _options.RelayChunksInFlight;

    // How many nodes have the chunk or are receiving it.
    private int Copies(int chunk) => _holders[chunk] + _incoming[chunk];

    // Peers before the master; fast before slow; idle before busy; then faster measured upload.
    private int CompareUploaders(PlannerNode a, PlannerNode b, double? median)
    {
        int c = a.IsMaster.CompareTo(b.IsMaster);
        if (c != 0) return c;
        c = IsSlow(a.UpRate, median).CompareTo(IsSlow(b.UpRate, median));
        if (c != 0) return c;
        c = a.Uploads.CompareTo(b.Uploads);
        if (c != 0) return c;
        c = b.UpRate.BytesPerSecond.CompareTo(a.UpRate.BytesPerSecond);
        return c != 0 ? c : a.Index.CompareTo(b.Index);
    }

    // A relay runs at the pace its source receives, so only a node that has shown it is not slow
    // (one finished download at least) relays, and only chunks coming from a source not known slow.
    private bool CanRelay(PlannerNode u, double? median) =>
        Relays && u.DownRate.Known && !IsSlow(u.DownRate, median) && !IsSlow(u.UpRate, median);

    private bool RelayableFrom(PlannerNode u, int chunk, double? median) =>
        u.IncomingFrom.TryGetValue(chunk, out int from) && !IsSlow(_nodes[from].UpRate, median);

    // How many of the master's uploads one receiver may hold. Its uploads are how new data enters
    // the swarm, and a transfer runs at the pace of its receiver's link: a slow receiver holding all
    // of them left the master's uplink nearly idle while every other peer waited (6 s at the start of
    // a swarm.sh run, bench/RESULTS.md). So they are shared out among the receivers that need data;
    // a receiver not measured yet (the first to join, before the others are there) holds one, and
    // so does a slow one while others need data (alone, one stream at a time left its link unfilled).
    private int MasterShareOf(PlannerNode master, PlannerNode d, double? median)
    {
        if (!d.DownRate.Known || _needing > 1 && IsSlow(d.DownRate, median)) return 1;
        return Math.Max(1, (master.MaxUploads + _needing - 1) / Math.Max(1, _needing));
    }

    private PlannerNode? BestDownloaderFor(PlannerNode u, List<PlannerNode> downloaders, TimeSpan now, double? median, bool relay, List<PlannerNode>? skip)
    {
        bool slowSource = IsSlow(u.UpRate, median);
        PlannerNode? best = null;
        (int, int, int, ulong, int) bestKey = default;
        foreach (var d in downloaders)
        {
            if (d == u || !d.FreeDownloadSlot || !d.NeedsMore || skip is not null && skip.Contains(d)) continue;
            if (u.IsMaster && d.FromMaster >= MasterShareOf(u, d, median)) continue;
            if (d.AvoidUntil.TryGetValue(u.Index, out var until) && until > now) continue;
            if (!(relay ? u.Has.EitherHasAnyNotIn(u.Incoming, d.Has, d.Incoming, d.Skip) : u.Has.HasAnyNotIn(d.Has, d.Incoming, d.Skip))) continue;
            // A slow peer would hold a fast peer's download slot for long (measured in the simulator:
            // the worst peers lagged with three of four slots on slow sources): it serves slow
            // receivers only. The master, which has every chunk, is never left out. A fast source
            // serves fast receivers first, for the same reason.
            if (slowSource && !u.IsMaster && !IsSlow(d.DownRate, median)) continue;
            int mismatch = !slowSource && IsSlow(d.DownRate, median) ? 1 : 0;
            var key = (mismatch, d.Downloads, d.Has.Count, TieBreak.Of(_options.Seed, d.Index, u.Index), d.Index);
            if (best is null || key.CompareTo(bestKey) < 0)
            {
                best = d;
                bestKey = key;
            }
        }
        return best;
    }

    // Rarest first (counting copies in flight) among what u has (or, with relays, is receiving) and
    // d lacks; among equally rare chunks a held one beats a relay; ties spread by a per-target hash.
    private int RarestChunk(PlannerNode u, PlannerNode d, bool relay, double? median)
    {
        int best = -1;
        (int Copies, int Relay, ulong Tie) bestKey = (int.MaxValue, 0, 0);
        for (int i = 0; i < u.Has.WordCount; i++)
        {
            ulong held = u.Has.Word(i);
            ulong w = (held | (relay ? u.Incoming.Word(i) : 0)) & ~d.Has.Word(i) & ~d.Incoming.Word(i) & ~d.Skip.Word(i);
            while (w != 0)
            {
                int bit = ChunkSet.TrailingZeros(w);
                int c = i * 64 + bit;
                w &= w - 1;
                int copies = Copies(c);
                if (copies > bestKey.Copies) continue;
                bool isRelay = (held >> bit & 1) == 0;
                // A small file is not relayed: one file of a few KiB would hold a slot at each end
                // while it waits for its place in the source's incoming bundle. Once there, it
                // travels on in a bundle of many.
                if (isRelay && (_bundled[c] || !RelayableFrom(u, c, median))) continue;
                var key = (copies, isRelay ? 1 : 0, TieBreak.Of(_options.Seed, d.Index, c));
                if (key.CompareTo(bestKey) < 0)
                {
                    best = c;
                    bestKey = key;
                }
            }
        }
        return best;
    }

    private TransferOrder Start(int chunk, PlannerNode u, PlannerNode d, TimeSpan now, TransferGroup group, long bundle)
    {
        var order = new TransferOrder(_nextTransferId++, chunk, u.Index, d.Index, bundle);
        bool relay = !u.Has.Contains(chunk);
        if (relay) RelaysStarted++;
        _active[order.Id] = new ActiveTransfer(order, now, relay, group);
        // The members of a bundle share the slots its first one takes.
        if (group.Open++ == 0)
        {
            u.Uploads++;
            d.Downloads++;
            if (u.IsMaster) d.FromMaster++;
        }
        group.Bytes += _chunkBytes[chunk];
        d.Incoming.Add(chunk);
        d.IncomingFrom[chunk] = u.Index;
        _incoming[chunk]++;
        _freeUploaders.Set(u.Index, u.FreeUploadSlotFor(Relays));
        _freeDownloaders.Set(d.Index, d.FreeDownloadSlot && d.NeedsMore);
        // With relays the receiver now has something to offer: it is worth another look.
        if (Relays) Changed(d);
        return order;
    }

    private void Finish(long id)
    {
        var t = _active[id];
        _active.Remove(id);
        if (--t.Group.Open == 0) ReleaseSlots(t);
        var d = _nodes[t.Order.Target];
        d.Incoming.Remove(t.Order.Chunk);
        d.IncomingFrom.Remove(t.Order.Chunk);
        _incoming[t.Order.Chunk]--;
        Changed(d);
    }

    private void ReleaseSlots(ActiveTransfer t)
    {
        if (t.Group.SlotsReleased) return;
        t.Group.SlotsReleased = true;
        var u = _nodes[t.Order.Source];
        var d = _nodes[t.Order.Target];
        u.Uploads--;
        d.Downloads--;
        if (u.IsMaster) d.FromMaster--;
        Changed(u);
        Changed(d);
    }

    private List<AbortOrder> CheckTimeouts(TimeSpan now)
    {
        var aborts = new List<AbortOrder>();
        if (_active.Count == 0) return aborts;
        double? median = _recent.Median;
        if (median is not null) NoteFastestIncoming(now);
        foreach (var t in _active.Values)
        {
            if (now - t.Group.LastProgress > _options.NoProgressTimeout)
            {
                aborts.Add(new AbortOrder(t.Order, AbortReason.NoProgress));
                continue;
            }
            // A relay cannot outrun its upstream, which is judged on its own; an ending one is all but done.
            if (median is null || t.Relay || t.Ending) continue;
            var u = _nodes[t.Order.Source];
            var d = _nodes[t.Order.Target];
            // Only the source can be too slow: a slow receiver's downloads are slow by nature.
            if (IsSlow(d.DownRate, median)) continue;
            // A receiver that has not finished a download yet is not known slow, but if none of its
            // transfers runs at a normal rate, it is the slow end: blaming each source in turn kept
            // a slow peer from ever finishing one (the simulator's 8 peers with one slow, all chunks
            // of 4 MiB: aborted after 5 s, every source avoided in turn, never done).
            if (!d.DownRate.Known && _fastestIncoming[d.Index] < median.Value * _options.SlowFraction) continue;
            double expected = t.Group.Bytes / Math.Min(median.Value, d.DownRate.Known ? d.DownRate.BytesPerSecond : median.Value);
            var limit = TimeSpan.FromSeconds(Math.Max(_options.MinTransferTime.TotalSeconds, expected * _options.SlowTransferFactor));
            if (now - t.Started > limit) aborts.Add(new AbortOrder(t.Order, AbortReason.SlowSource));
        }
        foreach (var a in aborts)
        {
            var group = _active[a.Transfer.Id].Group;
            Finish(a.Transfer.Id);
            Avoid(a.Transfer.Target, a.Transfer.Source, now);
            // A slow bundle is one slow transfer: its source's rate is marked down once.
            if (a.Reason == AbortReason.SlowSource && !group.Penalized)
            {
                group.Penalized = true;
                _nodes[a.Transfer.Source].UpRate.Add(_recent.Median!.Value * _options.SlowFraction / 2, _options.RateSmoothing);
            }
        }
        foreach (var a in aborts) AbortRelaysOf(a.Transfer.Target, a.Transfer.Chunk);
        return aborts;
    }

    // The best rate among each node's transfers in flight, from the bytes its receiver reported.
    private void NoteFastestIncoming(TimeSpan now)
    {
        ScratchArray.Grow(ref _fastestIncoming, _nodes.Count);
        Array.Clear(_fastestIncoming, 0, _nodes.Count);
        foreach (var t in _active.Values)
        {
            double seconds = (now - t.Started).TotalSeconds;
            if (seconds <= 0) continue;
            int d = t.Order.Target;
            _fastestIncoming[d] = Math.Max(_fastestIncoming[d], t.Group.Progress / seconds);
        }
    }

    private void Avoid(int target, int source, TimeSpan now) => _nodes[target].AvoidUntil[source] = now + _options.FailurePenalty;

    private void RecordRate(TransferOrder order, long bytes, double seconds)
    {
        if (seconds <= 0 || bytes <= 0) return;
        double rate = bytes / seconds;
        _nodes[order.Source].UpRate.Add(rate, _options.RateSmoothing);
        _nodes[order.Target].DownRate.Add(rate, _options.RateSmoothing);
        _recent.Add(rate);
    }

    private bool IsSlow(RateEstimate rate, double? median) =>
        median is not null && rate.Known && rate.BytesPerSecond < median.Value * _options.SlowFraction;

    /// <summary>Whether a node's measured rate puts it among the slow ones (for status displays).</summary>
    public bool IsSlowNode(int node)
    {
        var n = _nodes[node];
        var median = _recent.Median;
        return IsSlow(n.DownRate, median) || IsSlow(n.UpRate, median);
    }
}
