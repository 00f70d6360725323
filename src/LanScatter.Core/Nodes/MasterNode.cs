using System.Diagnostics;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Metrics;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;
using Microsoft.Extensions.Logging;

namespace LanScatter.Core.Nodes;

/// <summary>
/// The master: scans its folder, serves chunks, keeps one control connection per peer, runs the
/// planner on every event and tells peers what to fetch from whom. Watches its folder and pushes
/// changes to peers as versioned deltas. All state is owned by one loop (<see cref="NodeLoop"/>).
/// This file holds its life cycle; the HTTP endpoints, peer sessions, planning and folder changes
/// are in the other MasterNode.*.cs files.
/// </summary>
public sealed partial class MasterNode : ISwarmNode
{
    private readonly MasterOptions _options;
    private readonly string _root;

    // Kept across rescans (one scan at a time): read from the folder once, written only when it changed.
    private HashCache? _hashCache;
    private HashCache KeptHashCache => _hashCache ??= HashCache.Load(_root);
    private readonly string _epoch = Guid.NewGuid().ToString("N");
    private readonly NodeLoop _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly TokenBucket _upload;
    private readonly RateMeter _sent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Task> _background = new();
    private Task? _run;
    private readonly NodeReporter _reporter;
    private readonly TaskCompletionSource<bool> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpServer? _http;
    private volatile Snapshot? _snapshot;
    private NodeStatus _status;
    private LanScatterException? _fatal;
    private int _started;
    private PathFilter _exclude = PathFilter.None;

    /// <summary>A master that has not started yet: subscribe to <see cref="Event"/> and <see cref="StateChanged"/>, then <see cref="Start"/>.</summary>
    public MasterNode(MasterOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = new MetricsEndpoint(() => Status);
        _root = string.IsNullOrWhiteSpace(options.Path) ? "" : Path.GetFullPath(options.Path);
        _upload = new TokenBucket(TokenBucket.FromMbit(options.UploadLimitMbit));
        _reporter = new NodeReporter(this, logger);
        _loop = new NodeLoop(ex => Report(NodeEventLevel.Error, "internal error: " + ex.Message));
        _status = NodeStatus.Initial("master", options.Name);
        _swarmUp = options.SwarmUploadLimitMbit;
        _swarmDown = options.SwarmDownloadLimitMbit;
    }

    /// <summary>The port the master listens on (useful when started with port 0).</summary>
    public int Port => _http?.Port ?? 0;

    /// <summary>The newest status; immutable, readable from any thread.</summary>
    public NodeStatus Status => Volatile.Read(ref _status);

    /// <summary>The manifest peers are following and its version (0 until the first scan ends, see <see cref="WhenServing"/>).</summary>
    public FolderManifest Manifest => _snapshot?.Manifest ?? throw new InvalidOperationException("the master has not finished scanning its folder");
    public int ManifestVersion => _snapshot?.Version ?? 0;

    /// <summary>Log lines (also written to the logger given at construction).</summary>
    public event EventHandler<NodeEvent>? Event
    {
        add => _reporter.Event += value;
        remove => _reporter.Event -= value;
    }

    /// <summary>Raised when <see cref="NodeStatus.State"/> changes (scanning, serving, stopped, failed).</summary>
    public event EventHandler<NodeStatus>? StateChanged
    {
        add => _reporter.StateChanged += value;
        remove => _reporter.StateChanged -= value;
    }

    /// <summary>Completes once the folder is scanned and peers are served; faults like <see cref="Completion"/>.</summary>
    public Task WhenServing => _serving.Task;

    /// <summary>Completes when the node has stopped; faults with a <see cref="LanScatterException"/> when it failed (e.g. an unreadable folder).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Creates, starts and waits until serving; failures are <see cref="LanScatterException"/>s and leave nothing running.</summary>
    public static async Task<MasterNode> StartAsync(MasterOptions options, IProgress<ScanProgress>? scanProgress = null, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        var node = new MasterNode(options, logger);
        await node.StartServingAsync(scanProgress, cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// <see cref="Start(IProgress{ScanProgress})"/>, then waits until serving; failures are
    /// <see cref="LanScatterException"/>s and leave nothing running. For a host that subscribes to
    /// <see cref="Event"/> first, so it also hears what the first scan reports.
    /// </summary>
    public async Task StartServingAsync(IProgress<ScanProgress>? scanProgress = null, CancellationToken cancellationToken = default)
    {
        Start(scanProgress);
        using (cancellationToken.Register(() => _ = StopAsync()))
        {
            try
            {
                await WhenServing.ConfigureAwait(false);
            }
            catch (Exception)
            {
                await StopAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
        }
    }

    /// <summary>
    /// Checks the folder and options and binds the port — the errors a user must see at once
    /// (FolderNotFound, NotAFolder, InvalidOption, PortInUse) are thrown here — then scans and
    /// serves in the background. The status page answers while the folder is being scanned.
    /// </summary>
    public void Start() => Start(null);

    /// <summary>As <see cref="Start()"/>, reporting the scan's progress.</summary>
    public void Start(IProgress<ScanProgress>? scanProgress)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("the master was already started");
        Validate(_options);
        _exclude = PathFilter.Parse(_options.Exclude);
        _http = HttpServer.Start(_options.Bind, _options.Port, HandleHttpAsync);
        if (_options.Secret is null)
            Report(NodeEventLevel.Warning, $"the swarm is open: anyone who can reach port {Port} can read every file. Give master and peers a swarm secret ({Security.SwarmSecret.EnvironmentVariable}, --secret-file, -Secret or -SecretFile)");
        SetState(NodeState.Scanning);
        _run = RunAsync(scanProgress);
    }

    private static void Validate(MasterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path)) throw new LanScatterException("InvalidOption", "a folder is required");
        if (File.Exists(options.Path)) throw new LanScatterException("NotAFolder", $"'{options.Path}' is a file, not a folder");
        if (!Directory.Exists(options.Path)) throw new LanScatterException("FolderNotFound", $"folder not found: '{options.Path}'");
        StateFolder.ThrowIfNested(options.Path);
        if (options.MaxUploads < 1) throw new LanScatterException("InvalidOption", "the master needs at least one upload slot");
        if (options.Port is < 0 or > 65535) throw new LanScatterException("InvalidOption", "the port must be 0 to 65535");
    }

    private async Task RunAsync(IProgress<ScanProgress>? scanProgress)
    {
        FolderManifest manifest;
        try
        {
            var progress = new ScanStatus(this, scanProgress);
            manifest = await FolderScanner.ScanAsync(_root, new ScanOptions { ChunkSize = _options.ChunkSize, Progress = progress, Exclude = _exclude, Skipped = WarnSkipped, Cache = KeptHashCache }, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _serving.TrySetCanceled();
            return;
        }
        catch (LanScatterException ex)
        {
            Fail(ex);
            return;
        }
        _snapshot = BuildSnapshot(_root, manifest, ManifestPieces.Encode(manifest), 1);
        ResetPlanner();
        _background.Add(_loop.RunAsync(_stop.Token));
        _background.Add(TickAsync());
        StartWatching();
        Report(NodeEventLevel.Information, $"serving {manifest.Files.Count} files, {ChunkSizing.Format(manifest.TotalBytes)} in {manifest.ChunkCount} chunks of {ChunkSizing.Format(manifest.ChunkSize)} on port {Port}");
        _loop.Post(Publish);
        _serving.TrySetResult(true);
    }

    // Shows the scan in the status (state Scanning, bytes hashed of bytes to hash) as well as passing it on.
    private sealed class ScanStatus : IProgress<ScanProgress>
    {
        private readonly MasterNode _node;
        private readonly IProgress<ScanProgress>? _next;

        public ScanStatus(MasterNode node, IProgress<ScanProgress>? next)
        {
            _node = node;
            _next = next;
        }

        public void Report(ScanProgress value)
        {
            var s = _node.Status;
            if (s.State == NodeState.Scanning)
                Volatile.Write(ref _node._status, s with { BytesDone = value.HashedBytes + value.ReusedBytes, BytesTotal = value.TotalBytes, TimeUtc = DateTime.UtcNow });
            _next?.Report(value);
        }
    }

    /// <summary>Changes the master's own upload limit (Mbit/s, 0 = unlimited, null = unchanged); a master does not download.</summary>
    public void SetLimits(double? uploadMbit, double? downloadMbit)
    {
        if (uploadMbit is { } up) _upload.SetRate(TokenBucket.FromMbit(up));
        if (_snapshot is not null) _loop.Post(Publish);
    }

    /// <summary>Pushes limits to every peer, now and to peers joining later (Mbit/s, 0 = unlimited, null = unchanged).</summary>
    public void SetSwarmLimits(double? uploadMbit, double? downloadMbit) => _loop.Post(() =>
    {
        _swarmUp = uploadMbit ?? _swarmUp;
        _swarmDown = downloadMbit ?? _swarmDown;
        foreach (var s in _sessions.Values) s.Send(new Protocol.LimitsMessage { UploadLimitMbit = uploadMbit, DownloadLimitMbit = downloadMbit });
    });

    // Limits pushed to peers (null: each peer keeps its own); changed by SetSwarmLimits (loop only).
    private double? _swarmUp, _swarmDown;

    /// <summary>Rescans now (the watcher does this by itself; tests and scripts may want it at once).</summary>
    public Task RescanAsync() => RescanCoreAsync();

    /// <summary>
    /// Stops the node and frees its port; a second or concurrent call waits for the same stop. The
    /// token only gives up waiting: the stop itself goes on.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task stopping;
        lock (_stop) stopping = _stopping ??= StopCoreAsync();
        return cancellationToken.CanBeCanceled ? TaskWaits.WaitAsync(stopping, cancellationToken) : stopping;
    }

    private Task? _stopping;

    private async Task StopCoreAsync()
    {
        if (_snapshot is not null)
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loop.Post(() =>
            {
                foreach (var s in _sessions.Values.ToList()) s.CompleteOutbox();
                done.TrySetResult(true);
            });
            await Task.WhenAny(done.Task, Task.Delay(2000)).ConfigureAwait(false);
        }
        _stop.Cancel();
        // The scan and the set-up after it end first: they start the loop, the tick and the watcher,
        // which are torn down below, and add to _background, which is awaited below.
        if (_run is not null) await _run.ConfigureAwait(false);
        _watcher?.Dispose();
        _debounce?.Dispose();
        _loop.Complete();
        if (_http is not null) await _http.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        try { await Task.WhenAll(_background).ConfigureAwait(false); } catch (OperationCanceledException) { }
        _probe.Dispose();
        _serving.TrySetCanceled();
        if (_fatal is not null) _completion.TrySetException(_fatal);
        else
        {
            SetState(NodeState.Stopped);
            _completion.TrySetResult(true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void Fail(LanScatterException ex)
    {
        // Not logged: Completion carries it, and each host reports it once, as its own error.
        _fatal = ex;
        SetState(NodeState.Failed, ex.Message);
        _serving.TrySetException(ex);
        _ = StopAsync();
    }

    private void SetState(NodeState state, string? error = null)
    {
        var s = Status;
        if (error is not null) _lastError = error;
        var next = s with { State = state, LastError = _lastError, TimeUtc = DateTime.UtcNow };
        Volatile.Write(ref _status, next);
        if (s.State != state) _reporter.StateChange(next);
    }

    private void Publish()
    {
        var snapshot = _snapshot!;
        var now = DateTime.UtcNow;
        var active = _planner.ActiveTransfers.GroupBy(t => t.Target).ToDictionary(g => g.Key, g => g.Count());
        var peers = _sessions.Values.Select(s => new PeerStatus(s.Id, s.Name, s.Address, s.Port,
            s.InSync ? NodeState.InSync : NodeState.Syncing, s.BytesDone, s.BytesTotal, _planner.CountOf(s.Node), _planner.IsSlowNode(s.Node))
        {
            ActiveTransfers = active.TryGetValue(s.Node, out int n) ? n : 0,
            TransfersFailed = s.TransfersFailed,
            HashMismatches = s.HashMismatches,
            BytesFromPeers = s.LastStatus?.BytesFromPeers ?? 0,
            BytesFromMaster = s.LastStatus?.BytesFromMaster ?? 0,
            LastError = s.LastStatus?.LastError ?? s.LastTransferError,
            DownloadBytesPerSecond = s.LastStatus?.DownloadBytesPerSecond ?? 0,
            UploadBytesPerSecond = s.LastStatus?.UploadBytesPerSecond ?? 0,
            UploadLimitMbit = s.LastStatus?.UploadLimitMbit ?? 0,
            DownloadLimitMbit = s.LastStatus?.DownloadLimitMbit ?? 0,
            LastSeenUtc = s.LastSeenUtc,
        }).ToList();
        var state = _fatal is not null ? NodeState.Failed : _stop.IsCancellationRequested ? NodeState.Stopped : NodeState.Serving;
        var previous = Status;
        var next = new NodeStatus("master", _options.Name, state, Port, snapshot.Manifest.TotalBytes, snapshot.Manifest.TotalBytes, 0, _sent.BytesPerSecond, 0, _sent.Total, peers, _lastError, now)
        {
            UploadLimitMbit = TokenBucket.ToMbit(_upload.BytesPerSecond),
            ChunksHeld = snapshot.Catalog.Count,
            ChunksTotal = snapshot.Catalog.Count,
            ManifestVersion = snapshot.Version,
            StartedUtc = _startedUtc,
            BytesSent = _sent.Total,
            ActiveTransfers = active.Values.Sum(),
            TransfersFailed = _transfersFailed,
            HashMismatches = _hashMismatches,
            PlannerPasses = _plannerPasses,
        };
        Volatile.Write(ref _status, next);
        if (previous.State != state) _reporter.StateChange(next);
    }

    private string? _lastError;

    // Counted on the loop, for the status and the metrics.
    private long _transfersFailed, _hashMismatches, _plannerPasses;
    private readonly DateTime _startedUtc = DateTime.UtcNow;

    private void Report(NodeEventLevel level, string message)
    {
        if (level == NodeEventLevel.Error) _lastError = message;
        _reporter.Log(level, message);
    }
}
