using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Planning;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;

namespace LanScatter.Core.Nodes;

// Following the master's folder: a watcher (debounced) and a periodic rescan; a changed manifest
// becomes a new snapshot, a delta to every peer and a rebuilt planner. In a big folder a change the
// watcher located rescans only the paths it reported (PartialRescan); the periodic rescan, and any
// rescan after the watcher lost events, walks the whole folder.
public sealed partial class MasterNode
{
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private int _rescanning;

    // The backstop rescan runs every RescanInterval, or less often when a rescan costs more than
    // 1/20 of that (a million files take seconds to list even when nothing changed). A change seen
    // while a rescan runs gets a rescan of its own once it ends.
    private readonly object _rescanTimer = new();
    private TimeSpan _backstop;
    private bool _changedMeanwhile;

    // Paths the watcher reported since the last rescan began; _lostChanges when it may have missed
    // some (its buffer overflowed, too many to list, a rescan failed), so the next rescan is whole.
    private HashSet<string> _changedPaths = new(StringComparer.Ordinal);
    private bool _lostChanges;

    // What the network sees, swapped as a whole when the folder changes.
    // The manifest is kept in the compact pieces /api/manifest serves, made once: for a million
    // files they are 50 MB where JSON was 177 MB, and encoding per request cost about 1 GB of
    // memory for every peer joining.
    private sealed record Snapshot(string Root, FolderManifest Manifest, int Version, EncodedManifest Wire, ChunkCatalog Catalog, (int File, int Chunk)[] Places)
    {
        private readonly Lazy<string?> _inline = new(() => ManifestReference.InlineText(Manifest, Wire));

        /// <summary>What a peer checks a manifest fetched over HTTP against: the id of its index.</summary>
        public string Digest => Wire.Digest;

        /// <summary>The manifest as JSON text for a welcome to carry, or null when it is too big and travels by reference.</summary>
        public string? InlineText => _inline.Value;

        /// <summary>Where to read a chunk of this manifest (its first place), or null for an id not in it.</summary>
        public ChunkSource? Locate(string id)
        {
            if (!Catalog.TryGetIndex(id, out int index)) return null;
            var (file, chunk) = Places[index];
            var f = Manifest.Files[file];
            return new ChunkSource(ManifestPath.ToLocal(Root, f.Path), f.Chunks[chunk].Offset, f.Chunks[chunk].Length);
        }
    }

    // The snapshot peers follow: set before the loop, the sessions and the watcher start.
    private Snapshot Current => _snapshot!;

    // `wire` is the manifest as ManifestPieces.Encode makes it (a rescan has it already). Each chunk's
    // first place is kept by catalog index, its path made when served: a dictionary of a million
    // ids and full paths cost about a second and 100 MB at every version of a million files.
    private static Snapshot BuildSnapshot(string root, FolderManifest manifest, EncodedManifest wire, int version)
    {
        var catalog = ChunkCatalog.From(manifest);
        var places = new (int File, int Chunk)[catalog.Count];
        int next = 0; // the catalog numbers ids in the order they first occur
        for (int f = 0; f < manifest.Files.Count && next < places.Length; f++)
        {
            var chunks = manifest.Files[f].Chunks;
            for (int c = 0; c < chunks.Count && next < places.Length; c++)
            {
                if (string.Equals(chunks[c].Id, catalog.Ids[next], StringComparison.Ordinal)) places[next++] = (f, c);
            }
        }
        return new Snapshot(root, manifest, version, wire, catalog, places);
    }

    private void StartWatching()
    {
        try
        {
            _watcher = new FileSystemWatcher(_root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
            FileSystemEventHandler changed = (_, e) => OnFolderEvent(e.FullPath);
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, e) =>
            {
                OnFolderEvent(e.OldFullPath);
                OnFolderEvent(e.FullPath);
            };
            _watcher.Error += (_, e) => OnWatcherLostEvents(e.GetException());
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Report(NodeEventLevel.Warning, $"cannot watch the folder ({ex.Message}); changes are picked up by the periodic rescan");
        }
        _backstop = _options.RescanInterval;
        _debounce = new Timer(_ => _ = RescanCoreAsync(), null, _backstop, _backstop);
    }

    private readonly HashSet<string> _warnedSkips = new(StringComparer.Ordinal);

    // An entry left out of the manifest (a link, a nested LanScatter folder): said once, not at every rescan.
    private void WarnSkipped(string path, string reason)
    {
        lock (_warnedSkips) if (!_warnedSkips.Add(path + "\n" + reason)) return;
        Report(NodeEventLevel.Warning, $"'{path}' is not distributed: {reason}");
    }

    private void OnFolderEvent(string fullPath)
    {
        var relative = fullPath.Length > _root.Length ? fullPath.Substring(_root.Length).TrimStart(Path.DirectorySeparatorChar, '/') : "";
        relative = relative.Replace(Path.DirectorySeparatorChar, '/');
        if (StateFolder.Contains(relative) || _exclude.Excludes(relative)) return; // our own state files, or not distributed
        lock (_rescanTimer)
        {
            if (_changedPaths.Count < _options.MaxReportedPaths) _changedPaths.Add(relative);
            else _lostChanges = true; // a change this big: the whole walk is as cheap
            _changedMeanwhile = true;
            _debounce?.Change(_options.ChangeDebounce, _backstop);
        }
    }

    // The watcher's buffer overflowed (a burst of changes) or it failed: what changed is not known.
    // Internal for tests: an overflow cannot be caused here without lowering a system-wide limit.
    internal void OnWatcherLostEvents(Exception error)
    {
        Report(NodeEventLevel.Warning, $"the folder watcher lost track of changes ({error.Message}); rescanning the whole folder");
        lock (_rescanTimer)
        {
            _lostChanges = true;
            _changedMeanwhile = true;
            _debounce?.Change(_options.ChangeDebounce, _backstop);
        }
    }

    private async Task RescanCoreAsync()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _rescanning, 1) == 1) return;
        HashSet<string> changedPaths;
        bool lost;
        lock (_rescanTimer)
        {
            _changedMeanwhile = false;
            (changedPaths, _changedPaths, lost, _lostChanges) = (_changedPaths, new HashSet<string>(StringComparer.Ordinal), _lostChanges, false);
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        bool whole = true;
        try
        {
            var current = Current;
            var options = new ScanOptions { ChunkSize = _options.ChunkSize ?? current.Manifest.ChunkSize, Exclude = _exclude, Skipped = WarnSkipped, Cache = KeptHashCache, SaveCache = false };
            FolderManifest? manifest = null;
            // The periodic rescan (nothing reported) stays whole: it catches what a watcher cannot see.
            if (!lost && changedPaths.Count > 0 && current.Manifest.Files.Count >= _options.PartialRescanMinFiles && options.ChunkSize == current.Manifest.ChunkSize)
                manifest = await PartialRescan.RescanAsync(_root, current.Manifest, changedPaths, options, _stop.Token).ConfigureAwait(false);
            whole = manifest is null;
            manifest ??= await FolderScanner.ScanAsync(_root, options, _stop.Token).ConfigureAwait(false);
            // The index names every piece by id: the same index, the same manifest.
            var wire = ManifestPieces.Encode(manifest);
            if (!wire.Index.AsSpan().SequenceEqual(current.Wire.Index))
            {
                var applied = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                var how = whole ? "" : $"; looked only at the {changedPaths.Count} changed path(s)";
                _loop.Post(() => { ApplyManifest(manifest, wire, how); applied.TrySetResult(true); });
                await applied.Task.ConfigureAwait(false);
            }
            // Written once the peers have the change: for a million files it is 166 MB and 3 s, which
            // came before the delta.
            FolderScanner.SaveCache(_root, KeptHashCache);
        }
        catch (LanScatterException ex)
        {
            _lastError = ex.Message;
            Report(NodeEventLevel.Warning, "rescan failed, will retry: " + ex.Message);
            lock (_rescanTimer) _lostChanges = true; // the paths taken are not followed yet: the retry walks everything
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_rescanTimer)
            {
                // Paced by what a whole rescan costs; a partial one says nothing about that.
                if (whole) _backstop = TimeSpan.FromTicks(Math.Max(_options.RescanInterval.Ticks, watch.Elapsed.Ticks * 20));
                try
                {
                    _debounce?.Change(_changedMeanwhile ? _options.ChangeDebounce : _backstop, _backstop);
                }
                catch (ObjectDisposedException)
                {
                    // stopping
                }
            }
            Volatile.Write(ref _rescanning, 0);
        }
    }

    // `how`: said after the counts in the report ("" for a whole rescan).
    private void ApplyManifest(FolderManifest manifest, EncodedManifest wire, string how)
    {
        var old = Current;
        var next = BuildSnapshot(_root, manifest, wire, old.Version + 1);
        var delta = ManifestReference.Shrink(ManifestDelta.Between(old.Manifest, old.Version, manifest, next.Version), () => next.Digest);
        foreach (var t in _planner.ActiveTransfers.ToList()) AbortTransfer(t);
        _transferTargets.Clear();
        _snapshot = next;

        // Chunk numbering changed: rebuild the planner, keeping what every peer holds by id.
        var holdings = _sessions.Values.ToDictionary(s => s, s => Enumerable.Range(0, old.Catalog.Count).Where(c => _planner.Has(s.Node, c)).Select(c => old.Catalog.Ids[c]).ToList());
        ResetPlanner();
        _byNode.Clear();
        foreach (var pair in holdings)
        {
            var session = pair.Key;
            var ids = pair.Value;
            AddToPlanner(session, MapIds(ids, next.Catalog, out _));
            session.Send(delta);
        }
        Report(NodeEventLevel.Information, $"folder changed: manifest version {next.Version} ({delta.Removed?.Count ?? 0} removed, {manifest.Files.Count} files{how})");
        Replan();
    }
}
