using System.Text.Json;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;

namespace LanScatter.Core.Storage;

/// <summary>
/// A peer's synced folder. Files that are not complete are built in place in
/// <c>.lanscatter/partial/</c> (one copy of the data, preallocated), each chunk written at its offset
/// and marked only once verified; a file is renamed to its final name when every chunk is there, so
/// no half-written file ever carries a final name. A chunk that occurs in several places is fetched
/// once and copied locally to every other place, in the same step that marks it held: the master
/// never plans a chunk a peer holds, so a place left out would stay empty for good. Verified chunks
/// of unfinished files are recorded in a small state file so a restarted peer resumes without
/// re-hashing. Excluded paths (<see cref="PathFilter"/>) are left as they are.
/// </summary>
internal sealed partial class PeerFolder
{
    private const string PartialFolder = "partial";
    private const string StateFile = "peer-state.json";
    private const string IdentityFile = "peer.json";

    private readonly object _gate = new();
    private readonly HashCache _cache;
    private FolderManifest _manifest = new(ChunkSizing.MinAdaptive, Array.Empty<ManifestFile>(), Array.Empty<string>());
    private FileBuild[] _files = Array.Empty<FileBuild>();

    // The part of the manifest followed (what _files are built from); null until one is applied.
    private FolderManifest? _followed;

    // The files of the manifest being followed, how many lack their final name, and the bytes held
    // of all: every commit asks, so they must not cost a pass over tens of thousands of files.
    private HashSet<FileBuild> _current = new();
    private int _incomplete;
    private long _bytesDone, _bytesTotal;
    private Dictionary<string, ChunkPlaces> _positions = new(StringComparer.Ordinal);
    private int _heldIds;
    private DateTime _nextStateSave;
    private readonly PathFilter _exclude;
    private List<string> _skipped = new();
    private readonly Queue<FileBuild> _finishing = new();

    /// <param name="root">The folder.</param>
    /// <param name="exclude">Local paths never overwritten nor deleted, and not fetched.</param>
    public PeerFolder(string root, PathFilter? exclude = null)
    {
        Root = Path.GetFullPath(root);
        _cache = HashCache.Load(Root);
        _exclude = exclude ?? PathFilter.None;
    }

    public string Root { get; }

    /// <summary>The master's whole manifest (what its deltas apply to), excluded paths included.</summary>
    public FolderManifest Manifest { get { lock (_gate) return _manifest; } }

    /// <summary>Chunk ids this folder will not fetch: they occur only in excluded paths.</summary>
    public IReadOnlyList<string> SkippedIds() { lock (_gate) return _skipped; }

    /// <summary>True when this folder was never synced by a peer and holds something: taking it over needs consent.</summary>
    public static bool NeedsTakeoverConsent(string root)
    {
        if (!Directory.Exists(root)) return false;
        if (File.Exists(Path.Combine(StateFolder.PathIn(root), IdentityFile))) return false;
        return Directory.EnumerateFileSystemEntries(root).Any(e => !string.Equals(Path.GetFileName(e), StateFolder.Name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>This peer's id, kept in the state folder so it survives restarts.</summary>
    public string LoadOrCreatePeerId()
    {
        var path = Path.Combine(StateFolder.PathIn(Root), IdentityFile);
        try
        {
            if (File.Exists(path))
            {
                var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), StorageJsonContext.Default.PeerIdentityDto);
                if (!string.IsNullOrEmpty(dto?.PeerId)) return dto!.PeerId!;
            }
        }
        catch (JsonException)
        {
        }
        var id = Guid.NewGuid().ToString("N");
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(new PeerIdentityDto { PeerId = id }, StorageJsonContext.Default.PeerIdentityDto));
        return id;
    }

    /// <summary>What <see cref="ApplyAsync"/> would do, changing nothing.</summary>
    public async Task<SyncPreview> PreviewAsync(FolderManifest manifest, CancellationToken cancellationToken)
    {
        var (_, diff) = await FollowedDiffAsync(manifest, cancellationToken).ConfigureAwait(false);
        var create = diff.Files.Where(f => f.State != FileState.Complete && !File.Exists(ManifestPath.ToLocal(Root, f.File.Path))).Select(f => f.File.Path).ToList();
        var change = diff.Files.Where(f => f.State != FileState.Complete && File.Exists(ManifestPath.ToLocal(Root, f.File.Path))).Select(f => f.File.Path).ToList();
        var delete = diff.Links.Concat(diff.ExtraFiles).Concat(diff.ExtraDirectories.Select(d => d + "/")).ToList();
        long bytes = diff.Files.Where(f => f.State != FileState.Complete)
            .SelectMany(f => f.File.Chunks.Where((c, i) => !f.PresentChunks.Contains(i) && !diff.LocalChunks.ContainsKey(c.Id)))
            .GroupBy(c => c.Id).Sum(g => (long)g.First().Length);
        return new SyncPreview(create, change, delete, diff.MissingDirectories, bytes) { Keep = diff.Kept };
    }

    // The part of the manifest this folder follows, and how the disk differs from it. A manifest file
    // where a folder holding kept (excluded) entries is would replace that folder: it is not followed.
    private async Task<(FolderManifest Followed, FolderDiff Diff)> FollowedDiffAsync(FolderManifest manifest, CancellationToken cancellationToken, FolderManifest? excludeApplied = null)
    {
        var followed = excludeApplied ?? _exclude.Apply(manifest);
        var diff = await LocalDiff.ComputeAsync(Root, followed, null, cancellationToken, _exclude, CachedIds).ConfigureAwait(false);
        if (diff.Kept.Count == 0) return (followed, diff);
        var keptFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kept in diff.Kept)
        {
            for (int slash = kept.IndexOf('/'); slash >= 0; slash = kept.IndexOf('/', slash + 1)) keptFolders.Add(kept.Substring(0, slash));
        }
        if (!followed.Files.Any(f => keptFolders.Contains(f.Path))) return (followed, diff);
        followed = new FolderManifest(followed.ChunkSize, followed.Files.Where(f => !keptFolders.Contains(f.Path)).ToList(), followed.EmptyDirectories);
        return (followed, await LocalDiff.ComputeAsync(Root, followed, null, cancellationToken, _exclude, CachedIds).ConfigureAwait(false));
    }

    // The hash cache in memory: reading it from disk at every manifest was 166 MB of JSON for a
    // million files, and missed what was learned since the last save.
    private IReadOnlyList<string>? CachedIds(string path, long size, DateTime modifiedUtc, long chunkSize)
    {
        lock (_gate) return _cache.TryGet(path, size, modifiedUtc, chunkSize);
    }

    /// <summary>
    /// Makes the folder follow <paramref name="whole"/>, excluded paths aside: keeps every valid chunk
    /// found on disk (copying it where the manifest wants it), deletes what the manifest does not
    /// have, creates folders, and prepares the files still to fetch. With <paramref name="change"/>
    /// (a change to the manifest this folder follows) a big folder looks only at the paths the change
    /// touches (<see cref="ScopedChangeMinFiles"/>); otherwise the whole folder is checked.
    /// </summary>
    public async Task<FolderCheck> ApplyAsync(FolderManifest whole, CancellationToken cancellationToken, bool change = false)
    {
        LoadOrCreatePeerId(); // marks the folder as synced by a peer from now on
        var manifest = _exclude.Apply(whole);
        var scoped = change ? await TryScopeChangeAsync(manifest, cancellationToken).ConfigureAwait(false) : null;
        FolderDiff diff;
        if (scoped is not null) diff = scoped.Diff;
        else (manifest, diff) = await FollowedDiffAsync(whole, cancellationToken, manifest).ConfigureAwait(false);
        var carried = scoped?.Carried;
        // Links first: every later write must land inside the folder, never through a link.
        foreach (var link in diff.Links) DeleteLink(ManifestPath.ToLocal(Root, link));
        var resumed = LoadPartialState();
        var partialDir = Path.Combine(StateFolder.PathIn(Root), PartialFolder);
        Directory.CreateDirectory(partialDir);

        var files = new FileBuild[manifest.Files.Count];
        var found = new FileDiff?[manifest.Files.Count]; // null for a file carried over unchanged
        var positions = new Dictionary<string, ChunkPlaces>(manifest.ChunkCount, StringComparer.Ordinal);
        var sources = diff.LocalChunks.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        int nextDiff = 0;
        for (int i = 0; i < manifest.Files.Count; i++)
        {
            var f = manifest.Files[i];
            var build = new FileBuild(f, partialDir);
            files[i] = build;
            for (int c = 0; c < f.Chunks.Count; c++)
            {
                if (!positions.TryGetValue(f.Chunks[c].Id, out var list)) positions[f.Chunks[c].Id] = list = new ChunkPlaces();
                list.Add((i, c));
            }
            if (carried?[i] is { } before)
            {
                // Untouched by the change: what was verified of it still is (its partial file stays).
                lock (_gate)
                {
                    build.Complete = before.Complete;
                    Array.Copy(before.Verified, build.Verified, build.Verified.Length);
                }
                continue;
            }
            var fileDiff = found[i] = diff.Files[nextDiff++];
            if (fileDiff.State == FileState.Complete && !fileDiff.FolderInTheWay)
            {
                build.Complete = true;
                for (int c = 0; c < f.Chunks.Count; c++) build.Verified[c] = true;
                continue;
            }
            // Resume: chunks verified into this partial file before a restart.
            if (resumed.TryGetValue(f.Path, out var state) && state.Ids.SequenceEqual(f.Chunks.Select(c => c.Id))
                && File.Exists(build.PartialPath) && new FileInfo(build.PartialPath).Length == f.Size)
            {
                foreach (int c in state.Verified.Where(c => c >= 0 && c < f.Chunks.Count))
                {
                    build.Verified[c] = true;
                    if (!sources.ContainsKey(f.Chunks[c].Id)) sources[f.Chunks[c].Id] = new ChunkSource(build.PartialPath, f.Chunks[c].Offset, f.Chunks[c].Length);
                }
            }
            else if (f.Chunks.Count > 1)
            {
                LocalDisk.Run(build.PartialPath, () =>
                {
                    using var stream = new FileStream(build.PartialPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                    stream.SetLength(f.Size);
                });
            }
            // A file of one chunk (or none) is made by the write of its content (ChunkTarget.WholeFile).
        }

        // Fill every place whose chunk is somewhere on disk already, before anything is deleted.
        if (carried is not null) AddCarriedSources(files, carried, positions, sources);
        var wanted = files.Where(b => !b.Complete)
            .SelectMany(b => b.File.Chunks.Select((chunk, c) => (Build: b, Chunk: c, Id: chunk.Id)))
            .Where(p => !p.Build.Verified[p.Chunk] && sources.ContainsKey(p.Id))
            .GroupBy(p => p.Id, StringComparer.Ordinal);
        foreach (var places in wanted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await CopyLocalAsync(sources[places.Key], places.Key, places.Select(p => TargetOf(p.Build, p.Chunk)).ToList(), cancellationToken).ConfigureAwait(false))
                foreach (var p in places) p.Build.Verified[p.Chunk] = true;
        }

        var skipped = whole.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Where(id => !positions.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            _manifest = whole;
            _followed = manifest;
            _files = files;
            _current = new HashSet<FileBuild>(files);
            _incomplete = files.Count(f => !f.Complete);
            (_bytesDone, _bytesTotal) = Count(files);
            _positions = positions;
            _heldIds = CountHeld(positions, files);
            _skipped = skipped;
            _finishing.Clear(); // files of the previous manifest: none may take a final name now
        }

        // Mirror: what the master does not have goes.
        foreach (var extra in diff.ExtraFiles) DeleteFile(ManifestPath.ToLocal(Root, extra));
        foreach (var dir in diff.ExtraDirectories.OrderByDescending(d => d.Length)) DeleteDirectory(ManifestPath.ToLocal(Root, dir));
        foreach (var dir in manifest.EmptyDirectories) Directory.CreateDirectory(ManifestPath.ToLocal(Root, dir));
        // Only files still being built keep a partial file; a complete file's is left over.
        foreach (var stale in Directory.EnumerateFiles(partialDir).Except(files.Where(b => !b.Complete).Select(b => b.PartialPath), StringComparer.Ordinal).ToList()) DeleteFile(stale);

        for (int i = 0; i < files.Length; i++)
        {
            if (files[i].Complete && found[i] is { } fileDiff) EnsureFinalTimestamp(files[i], fileDiff.LocalModifiedUtc);
        }
        lock (_gate) CompleteReady(files);
        FinishReady();
        SaveState(force: true);
        return new FolderCheck(scoped is null, scoped?.TouchedPaths ?? manifest.Files.Count);
    }

    /// <summary>
    /// False once the folder of files being built is gone (someone deleted the state folder while
    /// the peer ran). The state folder itself is no sign: saving the resume state makes it again.
    /// </summary>
    public bool PartialFolderExists => Directory.Exists(Path.Combine(StateFolder.PathIn(Root), PartialFolder));

    /// <summary>Ids of every chunk this peer holds verified.</summary>
    public IReadOnlyList<string> HaveIds()
    {
        lock (_gate) return _positions.Where(kv => kv.Value.Held).Select(kv => kv.Key).ToList();
    }

    /// <summary>Distinct chunk ids held verified, and in the manifest.</summary>
    public (int Held, int Total) ChunkCounts()
    {
        lock (_gate) return (_heldIds, _positions.Count);
    }

    public bool Has(string id)
    {
        lock (_gate) return _positions.TryGetValue(id, out var places) && places.Held;
    }

    public bool InSync
    {
        get { lock (_gate) return _incomplete == 0; }
    }

    public (long Done, long Total) Progress()
    {
        lock (_gate) return (_bytesDone, _bytesTotal);
    }

    // Bytes verified and in all, counted once when a manifest is applied.
    private static (long Done, long Total) Count(FileBuild[] files)
    {
        long total = 0, done = 0;
        foreach (var f in files)
        {
            total += f.File.Size;
            for (int c = 0; c < f.Verified.Length; c++) if (f.Verified[c]) done += f.File.Chunks[c].Length;
        }
        return (done, total);
    }

    // Places verified per id and the ids held, counted once when a manifest is applied.
    private static int CountHeld(Dictionary<string, ChunkPlaces> positions, FileBuild[] files)
    {
        int held = 0;
        foreach (var places in positions.Values)
        {
            places.Verified = places.Count(p => files[p.File].Verified[p.Chunk]);
            if (places.Held) held++;
        }
        return held;
    }

    // Called under _gate: marks a chunk of a file held or not, keeping the counts of bytes and ids held
    // (a file of a manifest replaced meanwhile counts no more).
    private void SetVerified(FileBuild build, int chunk, bool verified)
    {
        if (build.Verified[chunk] == verified) return;
        build.Verified[chunk] = verified;
        if (!_current.Contains(build)) return;
        var c = build.File.Chunks[chunk];
        _bytesDone += verified ? c.Length : -c.Length;
        var places = _positions[c.Id];
        bool wasHeld = places.Held;
        places.Verified += verified ? 1 : -1;
        if (places.Held != wasHeld) _heldIds += verified ? 1 : -1;
    }

    /// <summary>Where a verified copy of a chunk can be read, for serving it; null when this peer has none.</summary>
    public ChunkSource? Locate(string id)
    {
        lock (_gate) return VerifiedSource(_files, _positions, id);
    }

    // A verified copy of a chunk among these files: the final file, or the partial one still being built.
    private ChunkSource? VerifiedSource(FileBuild[] files, Dictionary<string, ChunkPlaces> positions, string id)
    {
        if (!positions.TryGetValue(id, out var list)) return null;
        foreach (var (fi, ci) in list)
        {
            var b = files[fi];
            if (!b.Verified[ci]) continue;
            var chunk = b.File.Chunks[ci];
            return new ChunkSource(b.Complete ? ManifestPath.ToLocal(Root, b.File.Path) : b.PartialPath, chunk.Offset, chunk.Length);
        }
        return null;
    }

    /// <summary>True while every place of a chunk not yet held is being written (a fetch or a local copy runs).</summary>
    public bool IsBeingWritten(string id)
    {
        lock (_gate)
        {
            if (!_positions.TryGetValue(id, out var list)) return false;
            bool busy = false;
            foreach (var (fi, ci) in list)
            {
                var b = _files[fi];
                if (b.Verified[ci]) return false;
                if (!b.Complete && !b.Busy[ci]) return false;
                busy |= b.Busy[ci];
            }
            return busy;
        }
    }

    /// <summary>
    /// Reserves a place to write a chunk being fetched; null when no file needs it (any more) or every
    /// place that does is being written already. Ends with <see cref="CommitAsync"/> or <see cref="ReleaseAsync"/>.
    /// </summary>
    public ChunkTarget? TargetFor(string id)
    {
        lock (_gate)
        {
            if (!_positions.TryGetValue(id, out var list)) return null;
            foreach (var (fi, ci) in list)
            {
                var b = _files[fi];
                if (b.Complete || b.Verified[ci] || b.Busy[ci]) continue;
                b.Busy[ci] = true;
                return TargetOf(b, ci);
            }
            return null;
        }
    }

    /// <summary>
    /// The chunk's bytes were written at <paramref name="target"/> and verified: mark them, copy them to
    /// the other places that need the same chunk, and finish files that are now whole. False when the
    /// place no longer belongs to the folder (a new manifest came meanwhile) or its bytes changed on disk.
    /// With <paramref name="finish"/> false the files it completes wait for <see cref="FinishReady"/>,
    /// so a bundle's many small files are made durable and renamed together.
    /// </summary>
    public async Task<bool> CommitAsync(string id, ChunkTarget target, CancellationToken cancellationToken, bool finish = true)
    {
        Fill? fill;
        lock (_gate)
        {
            if (!TryFind(id, target, out var build, out int chunk)) return false;
            build.Busy[chunk] = false;
            SetVerified(build, chunk, true);
            fill = BeginFill(id, build, chunk);
        }
        bool ok = await RunFillAsync(fill, cancellationToken).ConfigureAwait(false);
        if (finish)
        {
            FinishReady();
            SaveState(force: false);
        }
        return ok;
    }

    /// <summary>
    /// A fetch into <paramref name="target"/> failed or was cancelled: the place is free again. If the
    /// chunk arrived elsewhere meanwhile, it is copied there now: the master plans a chunk a peer holds
    /// for nobody, so a place left empty here would never be filled.
    /// </summary>
    public async Task ReleaseAsync(string id, ChunkTarget target, CancellationToken cancellationToken)
    {
        Fill? fill;
        lock (_gate)
        {
            if (!TryFind(id, target, out var build, out int chunk)) return;
            build.Busy[chunk] = false;
            if (!TryFindVerified(id, out var source, out int sourceChunk)) return;
            fill = BeginFill(id, source, sourceChunk);
        }
        await RunFillAsync(fill, cancellationToken).ConfigureAwait(false);
        FinishReady();
    }

    // A local copy of one chunk to every free place that lacks it, its source kept from being renamed meanwhile.
    private sealed record Fill(string Id, FileBuild Source, int SourceChunk, ChunkSource From, List<(FileBuild Build, int Chunk)> Places);

    // Called under _gate.
    private Fill? BeginFill(string id, FileBuild source, int sourceChunk)
    {
        var places = _positions[id].Select(p => (Build: _files[p.Item1], Chunk: p.Item2))
            .Where(p => !p.Build.Complete && !p.Build.Verified[p.Chunk] && !p.Build.Busy[p.Chunk]).ToList();
        if (places.Count == 0)
        {
            CompleteReady(_positions[id].Select(p => _files[p.Item1]).Append(source));
            return null;
        }
        foreach (var (b, c) in places) b.Busy[c] = true;
        source.Readers++;
        var chunk = source.File.Chunks[sourceChunk];
        var from = new ChunkSource(source.Complete ? ManifestPath.ToLocal(Root, source.File.Path) : source.PartialPath, chunk.Offset, chunk.Length);
        return new Fill(id, source, sourceChunk, from, places);
    }

    private async Task<bool> RunFillAsync(Fill? fill, CancellationToken cancellationToken)
    {
        if (fill is null) return true;
        bool ok = false, mismatch = false;
        try
        {
            ok = await ChunkCopier.CopyAsync(fill.From, fill.Id, fill.Places.Select(p => TargetOf(p.Build, p.Chunk)).ToList(), cancellationToken).ConfigureAwait(false);
            mismatch = !ok;
        }
        finally
        {
            lock (_gate)
            {
                foreach (var (b, c) in fill.Places)
                {
                    b.Busy[c] = false;
                    if (ok) SetVerified(b, c, true);
                }
                fill.Source.Readers--;
                // Bytes that no longer match their id are not held: the master plans the chunk again.
                if (mismatch && !fill.Source.Complete) SetVerified(fill.Source, fill.SourceChunk, false);
                CompleteReady(fill.Places.Select(p => p.Build).Append(fill.Source));
            }
        }
        return ok;
    }

    // Called under _gate.
    private bool TryFind(string id, ChunkTarget target, out FileBuild build, out int chunk)
    {
        if (_positions.TryGetValue(id, out var list))
        {
            foreach (var (fi, ci) in list)
            {
                var b = _files[fi];
                if (b.PartialPath != target.FullPath || b.File.Chunks[ci].Offset != target.Offset) continue;
                (build, chunk) = (b, ci);
                return true;
            }
        }
        (build, chunk) = (null!, -1);
        return false;
    }

    // Called under _gate.
    private bool TryFindVerified(string id, out FileBuild build, out int chunk)
    {
        foreach (var (fi, ci) in _positions[id])
        {
            if (!_files[fi].Verified[ci]) continue;
            (build, chunk) = (_files[fi], ci);
            return true;
        }
        (build, chunk) = (null!, -1);
        return false;
    }

    // Called under _gate: queues whole files among those a change touched for FinishReady.
    private void CompleteReady(IEnumerable<FileBuild> touched)
    {
        foreach (var b in touched)
        {
            if (!b.ReadyToComplete) continue;
            b.Finishing = true;
            _finishing.Enqueue(b);
        }
    }

    /// <summary>Gives whole files their final names (commits made with <c>finish: false</c> leave that to this).</summary>
    // A batch at a time: the flush to disk (seconds for a large file) runs outside the lock that every
    // upload and fetch takes, and is one call for all the small files finished meanwhile
    // (DurableFlush); only the renames are under the lock.
    public void FinishReady()
    {
        while (true)
        {
            var batch = new List<FileBuild>();
            lock (_gate)
            {
                while (_finishing.Count > 0 && batch.Count < MaxFinishBatch) batch.Add(_finishing.Dequeue());
            }
            if (batch.Count == 0) return;
            foreach (var build in batch)
            {
                if (build.File.Size == 0 && !File.Exists(build.PartialPath)) LocalDisk.Run(build.PartialPath, () => File.WriteAllBytes(build.PartialPath, Array.Empty<byte>()));
            }
            LocalDisk.Run(batch[0].PartialPath, () => DurableFlush.Flush(batch.Select(b => b.PartialPath).ToList()));
            lock (_gate)
            {
                foreach (var build in batch)
                {
                    if (_current.Contains(build)) Complete(build); // else a new manifest came meanwhile
                }
            }
        }
    }

    // Enough to make one flush serve many small files; few enough that renames under the lock stay short.
    private const int MaxFinishBatch = 1024;

    private static ChunkTarget TargetOf(FileBuild build, int chunk) =>
        new(build.PartialPath, build.File.Chunks[chunk].Offset, build.File.Chunks[chunk].Length, WholeFile: build.File.Chunks.Count == 1);

    /// <summary>
    /// Writes down which chunks of unfinished files are verified, and the hash cache when it changed.
    /// Unless forced, at most once a second and at most 1/20 of the time: for a million-file folder
    /// each save is seconds of work, and saving every second left no time for fetching.
    /// </summary>
    public void SaveState(bool force)
    {
        PartialStateDto dto;
        List<HashCacheEntryDto>? cache;
        lock (_gate)
        {
            if (!force && DateTime.UtcNow < _nextStateSave) return;
            _nextStateSave = DateTime.MaxValue; // one unforced save at a time
            dto = new PartialStateDto
            {
                Format = 1,
                // Only files with something to resume: a file of one chunk is whole once verified,
                // and one with nothing verified is simply made again.
                Files = _files.Where(f => !f.Complete && f.Verified.Length > 1 && Array.IndexOf(f.Verified, true) >= 0).Select(f => new PartialFileDto
                {
                    Path = f.File.Path,
                    Ids = f.File.Chunks.Select(c => c.Id).ToList(),
                    Verified = Enumerable.Range(0, f.Verified.Length).Where(i => f.Verified[i]).ToList(),
                }).ToList(),
            };
            cache = _cache.TakeChanges();
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            AtomicFile.WriteAllBytes(Path.Combine(StateFolder.PathIn(Root), StateFile), JsonSerializer.SerializeToUtf8Bytes(dto, StorageJsonContext.Default.PartialStateDto));
            if (cache is not null) HashCache.Write(Root, cache);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Losing resume data costs re-fetching (or re-hashing), not correctness.
            if (cache is not null) lock (_gate) _cache.MarkChanged();
        }
        finally
        {
            var pause = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, watch.Elapsed.Ticks * 20));
            lock (_gate) _nextStateSave = DateTime.UtcNow + pause;
        }
    }

    private Dictionary<string, (List<string> Ids, List<int> Verified)> LoadPartialState()
    {
        var result = new Dictionary<string, (List<string>, List<int>)>(StringComparer.Ordinal);
        try
        {
            var path = Path.Combine(StateFolder.PathIn(Root), StateFile);
            if (!File.Exists(path)) return result;
            var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), StorageJsonContext.Default.PartialStateDto);
            foreach (var f in dto?.Files ?? new List<PartialFileDto>())
            {
                if (f.Path is not null && f.Ids is not null && f.Verified is not null) result[f.Path] = (f.Ids, f.Verified);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
        }
        return result;
    }

    // Called under _gate, once the file is flushed to disk. A file that cannot take its final name
    // (disk, path too long) is this peer's own failure: retrying would only fetch the same chunks again.
    private void Complete(FileBuild build) => LocalDisk.Run(ManifestPath.ToLocal(Root, build.File.Path), () => CompleteCore(build));

    private void CompleteCore(FileBuild build)
    {
        var final = ManifestPath.ToLocal(Root, build.File.Path);
        if (!TryMoveInPlace(build.PartialPath, final))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            if (Directory.Exists(final)) DeleteDirectory(final);
            if (File.Exists(final)) File.Delete(final);
            File.Move(build.PartialPath, final);
        }
        if (!build.Complete) _incomplete--;
        build.Complete = true;
        File.SetLastWriteTimeUtc(final, build.File.ModifiedUtc); // just renamed: its time is now, never the master's
        RememberHashes(build);
    }

    // The usual case in one rename: the folder is there and no folder is in the way (a file in the
    // way is replaced atomically). False when the careful path must look at what is there; for
    // thousands of small files the looks cost more than the rename.
    private static bool TryMoveInPlace(string from, string to)
    {
#if NETSTANDARD2_0
        return false; // no overwriting move here (Windows PowerShell 5.1): always the careful path
#else
        if (PosixRename.IsUsable) return PosixRename.TryReplace(from, to);
        try
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
#endif
    }

    // A whole file found on disk gets the master's time (as the walk saw it: no second look for a
    // million files) and a hash-cache entry, unless the cache has that entry already.
    private void EnsureFinalTimestamp(FileBuild build, DateTime? localModifiedUtc)
    {
        if (localModifiedUtc != build.File.ModifiedUtc)
        {
            var final = ManifestPath.ToLocal(Root, build.File.Path);
            if (File.GetLastWriteTimeUtc(final) != build.File.ModifiedUtc) File.SetLastWriteTimeUtc(final, build.File.ModifiedUtc);
        }
        lock (_gate)
        {
            var known = _cache.TryGet(build.File.Path, build.File.Size, build.File.ModifiedUtc, _manifest.ChunkSize);
            if (known is null || !known.SequenceEqual(build.File.Chunks.Select(c => c.Id))) RememberHashes(build);
        }
    }

    // A file with the master's time and content: a restart trusts its chunk ids instead of hashing it.
    private void RememberHashes(FileBuild build) =>
        _cache.Set(build.File.Path, build.File.Size, build.File.ModifiedUtc, _manifest.ChunkSize, build.File.Chunks.Select(c => c.Id).ToList());

    // A chunk found on disk before syncing: one that cannot be read or no longer matches is fetched instead.
    private static async Task<bool> CopyLocalAsync(ChunkSource source, string id, IReadOnlyList<ChunkTarget> places, CancellationToken cancellationToken)
    {
        try
        {
            return await ChunkCopier.CopyAsync(source, id, places, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void DeleteFile(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.SetAttributes(path, FileAttributes.Normal);
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("DeleteFailed", $"cannot delete '{path}': {ex.Message}", ex);
        }
    }

    // Removes the link itself (to a file or a folder), never what it points to.
    private static void DeleteLink(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: false);
            else File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("DeleteFailed", $"cannot remove the link '{path}': {ex.Message}", ex);
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("DeleteFailed", $"cannot delete folder '{path}': {ex.Message}", ex);
        }
    }
}
