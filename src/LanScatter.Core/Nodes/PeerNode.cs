using System.Collections.Concurrent;
using System.Net.WebSockets;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Metrics;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;
using Microsoft.Extensions.Logging;

namespace LanScatter.Core.Nodes;

/// <summary>
/// A peer: joins the master, mirrors its folder (keeping what is already valid on disk), fetches
/// chunks from whom the master says, serves what it has to other peers, follows manifest changes,
/// and reconnects with backoff when the master is away. Stopping cancels transfers; no file is ever
/// left half-written under its final name. This file holds its life cycle and status; serving,
/// the session with the master and the fetches are in the other PeerNode.*.cs files.
/// </summary>
public sealed partial class PeerNode : ISwarmNode
{
    private readonly PeerOptions _options;
    private readonly PathFilter _exclude;
    private PeerFolder _folder = null!;
    private string _peerId = "";
    private readonly CancellationTokenSource _stop = new();
    private readonly TokenBucket _upload;
    private readonly TokenBucket _download;
    private readonly RateMeter _received = new();
    private readonly RateMeter _sent = new();
    private readonly Transport.Chunks.ChunkClient _chunkClient = new();
    private readonly ChunkFetcher _fetcher;
    private readonly ConcurrentDictionary<long, ActiveFetch> _fetches = new();
    private readonly TrackedTasks _fetchRuns = new();
    private readonly ArrivingChunks _arriving = new();
    private readonly TaskCompletionSource<bool> _inSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Uri _masterBase;
    private readonly NodeReporter _reporter;
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpServer? _server;
    private Task? _run;
    private LanScatterException? _fatal;
    private int _started;
    private int _chunksHeld, _chunksTotal;
    private ControlChannel? _channel;
    private string? _epoch;
    private int _manifestVersion;
    private NodeStatus _status;
    private long _fromPeers, _fromMaster;

    /// <summary>A peer that has not started yet: subscribe to <see cref="Event"/> and <see cref="StateChanged"/>, then <see cref="Start"/>.</summary>
    public PeerNode(PeerOptions options, ILogger? logger = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _metrics = new MetricsEndpoint(() => Status);
        Validate(options);
        _exclude = PathFilter.Parse(options.Exclude);
        _reporter = new NodeReporter(this, logger);
        _upload = new TokenBucket(TokenBucket.FromMbit(options.UploadLimitMbit));
        _download = new TokenBucket(TokenBucket.FromMbit(options.DownloadLimitMbit));
        _fetcher = new ChunkFetcher(_chunkClient, _download, options.Secret);
        _masterBase = MasterUri(options.MasterHost, options.MasterPort, "http");
        _status = NodeStatus.Initial("peer", options.Name);
    }

    public string PeerId => _peerId;

    /// <summary>True once the master has welcomed this peer (at least once).</summary>
    public bool EverJoined => Volatile.Read(ref _everJoined);
    private bool _everJoined;
    public int Port => _server?.Port ?? 0;
    public NodeStatus Status => Volatile.Read(ref _status);

    /// <summary>Log lines (also written to the logger given at construction).</summary>
    public event EventHandler<NodeEvent>? Event
    {
        add => _reporter.Event += value;
        remove => _reporter.Event -= value;
    }

    /// <summary>Raised when <see cref="NodeStatus.State"/> changes (connecting, syncing, in sync, reconnecting, stopped, failed).</summary>
    public event EventHandler<NodeStatus>? StateChanged
    {
        add => _reporter.StateChanged += value;
        remove => _reporter.StateChanged -= value;
    }

    /// <summary>Completes when the folder matches the master's manifest (faults if the node fails).</summary>
    public Task WhenInSync => _inSync.Task;

    /// <summary>
    /// Completes when the node has stopped — in once-mode, when it is in sync and has left — and
    /// faults with a <see cref="LanScatterException"/> when it failed (refused, master unreachable
    /// for <see cref="PeerOptions.ConnectTimeout"/>, local disk).
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Creates and starts a peer (see <see cref="Start"/>).</summary>
    public static Task<PeerNode> StartAsync(PeerOptions options, CancellationToken cancellationToken = default, ILogger? logger = null)
    {
        var node = new PeerNode(options, logger);
        node.Start();
        return Task.FromResult(node);
    }

    /// <summary>
    /// Checks the folder (FolderNotEmpty without <see cref="PeerOptions.Force"/>, FolderUnusable) and
    /// binds the port (PortInUse) — errors thrown here, before anything runs — then joins the master
    /// and syncs in the background.
    /// </summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("the peer was already started");
        if (File.Exists(_options.Path)) throw new LanScatterException("NotAFolder", $"'{_options.Path}' is a file, not a folder");
        StateFolder.ThrowIfNested(_options.Path);
        if (PeerFolder.NeedsTakeoverConsent(_options.Path) && !_options.Force)
            throw new LanScatterException("FolderNotEmpty",
                $"'{_options.Path}' is not empty and was never synced by LanScatter; files not on the master would be deleted. Use --force (-Force) to take it over, or --dry-run (-WhatIf) to see what would change");
        try
        {
            Directory.CreateDirectory(_options.Path);
            _folder = new PeerFolder(_options.Path, _exclude) { ScopedChangeMinFiles = _options.ScopedChangeMinFiles };
            _peerId = _folder.LoadOrCreatePeerId();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("FolderUnusable", $"cannot use '{_options.Path}': {ex.Message}", ex);
        }
        _server = HttpServer.Start(_options.Bind, _options.Port, HandleHttpAsync);
        _run = Task.Run(() => RunAsync(_stop.Token));
        // Not awaited by the stop: it ends in a stop of its own.
        if (_options.Once) _ = LeaveWhenInSyncAsync();
    }

    // Once-mode: in sync → leave without cutting off other peers' downloads → Completion.
    private async Task LeaveWhenInSyncAsync()
    {
        try
        {
            await _inSync.Task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            return; // stopped or failed first
        }
        Report(NodeEventLevel.Information, $"'{_options.Path}' is in sync ({ChunkSizing.Format(Status.BytesTotal)})" +
            (UploadsRunning > 0 ? $"; finishing {UploadsRunning} upload(s) to other peers before leaving" : ""));
        await LeaveAsync(_options.LeaveTimeout).ConfigureAwait(false);
    }

    /// <summary>What joining would change in the folder, without changing anything (reads the master's manifest over HTTP).</summary>
    public static async Task<SyncPreview> PreviewAsync(PeerOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        var manifest = await PreviewManifestAsync(MasterUri(options.MasterHost, options.MasterPort, "http"), options.Secret, cancellationToken).ConfigureAwait(false);
        var exclude = PathFilter.Parse(options.Exclude);
        if (!Directory.Exists(options.Path))
        {
            var followed = exclude.Apply(manifest);
            return new SyncPreview(followed.Files.Select(f => f.Path).ToList(), Array.Empty<string>(), Array.Empty<string>(), followed.EmptyDirectories, followed.TotalBytes);
        }
        return await new PeerFolder(options.Path, exclude).PreviewAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    // A folder changing while its manifest is read replaces the pieces being fetched: read it again.
    private static async Task<FolderManifest> PreviewManifestAsync(Uri master, Security.SwarmSecret? secret, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return (await ManifestDownload.GetAsync(master, secret, expectedDigest: null, cancellationToken).ConfigureAwait(false)).Manifest;
            }
            catch (IOException) when (attempt < 3)
            {
                // the next attempt reads the newer manifest
            }
            catch (IOException ex)
            {
                throw new LanScatterException("ManifestChanging", $"{ex.Message}, three times: the master's folder is changing; try again when it settles", ex);
            }
        }
    }

    /// <summary>
    /// Changes limits while running (Mbit/s, 0 = unlimited, null = unchanged). The latest change
    /// wins, whether made here or pushed by the master for the whole swarm.
    /// </summary>
    public void SetLimits(double? uploadMbit, double? downloadMbit)
    {
        if (uploadMbit is { } up) _upload.SetRate(TokenBucket.FromMbit(up));
        if (downloadMbit is { } down) _download.SetRate(TokenBucket.FromMbit(down));
        Publish();
    }

    /// <summary>Stops the node; a second or concurrent call waits for the same stop. The token only gives up waiting.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task stopping;
        lock (_stop) stopping = _stopping ??= StopCoreAsync();
        return cancellationToken.CanBeCanceled ? TaskWaits.WaitAsync(stopping, cancellationToken) : stopping;
    }

    private Task? _stopping;

    private async Task StopCoreAsync()
    {
        _stop.Cancel();
        foreach (var f in _fetches.Values) f.Cancel();
        if (_channel is not null) await _channel.CloseAsync("peer stopping").ConfigureAwait(false);
        try { if (_run is not null) await _run.ConfigureAwait(false); } catch (Exception ex) when (ex is OperationCanceledException or LanScatterException) { }
        // No download may still write or commit once the resume state is saved.
        await CancelFetchesAsync().ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _folder?.SaveState(force: true);
        _inSync.TrySetCanceled();
        _chunkClient.Dispose();
        if (_fatal is not null) _completion.TrySetException(_fatal);
        else
        {
            SetState(NodeState.Stopped);
            _completion.TrySetResult(true);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Chunks being served to other peers right now.</summary>
    public int UploadsRunning => Volatile.Read(ref _uploadsRunning);
    private int _uploadsRunning;
    private long _lastUploadEndTicks;

    /// <summary>
    /// Leaves the swarm without cutting anyone off: tells the master to plan no new uploads from
    /// this peer, lets the uploads already running finish (up to <paramref name="maxWait"/>), then
    /// stops. Stopping at once would throw away every chunk other peers were half-way through
    /// receiving from this one, just when a fan-out of --once peers ends.
    /// </summary>
    public async Task LeaveAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var channel = _channel;
        if (channel is not null)
        {
            try
            {
                await channel.SendAsync(new LeavingMessage(), cancellationToken).ConfigureAwait(false);
                var until = DateTime.UtcNow + maxWait;
                // Orders the master sent before it read "leaving" still arrive as requests: the peer
                // is drained once nothing has been served for a moment.
                while (DateTime.UtcNow < until && (UploadsRunning > 0 || DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastUploadEndTicks) < LeaveSettle.Ticks))
                    await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The master is gone or the host gave up waiting: stop now.
            }
        }
        await StopAsync().ConfigureAwait(false);
    }

    private static readonly TimeSpan LeaveSettle = TimeSpan.FromMilliseconds(300);

    private static void Validate(PeerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path)) throw new LanScatterException("InvalidOption", "a folder is required");
        if (string.IsNullOrWhiteSpace(options.MasterHost)) throw new LanScatterException("InvalidOption", "the master's host name or address is required");
        if (options.MaxDownloads is < 1 or > 64) throw new LanScatterException("InvalidOption", "downloads must be 1 to 64");
        if (options.MaxUploads is < 0 or > 64) throw new LanScatterException("InvalidOption", "uploads must be 0 to 64");
    }

    private static Uri MasterUri(string host, int port, string scheme)
    {
        var h = host.Contains(':') && !host.StartsWith("[", StringComparison.Ordinal) ? $"[{host}]" : host;
        try
        {
            return new Uri($"{scheme}://{h}:{port}/");
        }
        catch (UriFormatException ex)
        {
            throw new LanScatterException("InvalidOption", $"'{host}' is not a valid host name or address", ex);
        }
    }


    private void CheckInSync()
    {
        if (_folder.InSync)
        {
            SetState(NodeState.InSync);
            _inSync.TrySetResult(true);
        }
        else Publish();
    }

    // A failure the peer cannot recover from: reported, then the node stops and Completion faults with it.
    private void Fail(LanScatterException ex)
    {
        // Not logged: Completion carries it, and each host reports it once, as its own error.
        // The first failure is the reason (several fetches may hit a full disk at once).
        if (Interlocked.CompareExchange(ref _fatal, ex, null) is not null) return;
        SetState(NodeState.Failed, ex.Message);
        _inSync.TrySetException(ex);
        // Observed here: a host that waits on Completion alone must not meet it again as an unobserved task exception.
        _ = _inSync.Task.Exception;
        _ = StopAsync();
    }

    private NodeState _state = NodeState.Starting;
    private string? _lastError;

    private void SetState(NodeState state, string? error = null)
    {
        var previous = _state;
        _state = state;
        if (error is not null) _lastError = error;
        Publish();
        if (previous != state) _reporter.StateChange(Status);
    }

    private void Publish()
    {
        var (done, total) = _folder?.Progress() ?? (0, 0);
        Volatile.Write(ref _status, new NodeStatus("peer", _options.Name, _state, Port, done, total, _received.BytesPerSecond, _sent.BytesPerSecond,
            Interlocked.Read(ref _fromPeers), Interlocked.Read(ref _fromMaster), Array.Empty<PeerStatus>(), _lastError, DateTime.UtcNow)
        {
            UploadLimitMbit = TokenBucket.ToMbit(_upload.BytesPerSecond),
            DownloadLimitMbit = TokenBucket.ToMbit(_download.BytesPerSecond),
            ChunksHeld = _chunksHeld,
            ChunksTotal = _chunksTotal,
            ManifestVersion = _manifestVersion,
            StartedUtc = _startedUtc,
            BytesSent = _sent.Total,
            BytesReceived = _received.Total,
            ActiveTransfers = _fetches.Count,
            TransfersFailed = Interlocked.Read(ref _transfersFailed),
            HashMismatches = Interlocked.Read(ref _hashMismatches),
        });
    }

    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private long _transfersFailed, _hashMismatches;

    private void Report(NodeEventLevel level, string message) => _reporter.Log(level, message);
}

