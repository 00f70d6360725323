using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>
/// A peer: joins the master, mirrors its folder (keeping what is already valid on disk), fetches
/// chunks from whom the master says, serves what it has to other peers, follows manifest changes,
/// and reconnects with backoff when the master is away. Stopping cancels transfers; no file is ever
/// left half-written under its final name.
/// </summary>
public sealed class PeerNode : IAsyncDisposable
{
    private readonly PeerOptions _options;
    private readonly PeerFolder _folder;
    private readonly string _peerId;
    private readonly CancellationTokenSource _stop = new();
    private readonly TokenBucket _upload;
    private readonly TokenBucket _download;
    private readonly RateMeter _received = new();
    private readonly RateMeter _sent = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ChunkFetcher _fetcher;
    private readonly ConcurrentDictionary<long, ActiveFetch> _fetches = new();
    private readonly ArrivingChunks _arriving = new();
    private readonly TaskCompletionSource<bool> _inSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Uri _masterBase;
    private HttpServer? _server;
    private Task? _run;
    private ControlChannel? _channel;
    private string? _epoch;
    private int _manifestVersion;
    private NodeStatus _status;
    private long _fromPeers, _fromMaster;

    private PeerNode(PeerOptions options, PeerFolder folder)
    {
        _options = options;
        _folder = folder;
        _peerId = folder.LoadOrCreatePeerId();
        _upload = new TokenBucket(TokenBucket.FromMbit(options.UploadLimitMbit));
        _download = new TokenBucket(TokenBucket.FromMbit(options.DownloadLimitMbit));
        _fetcher = new ChunkFetcher(_http, _download);
        _masterBase = MasterUri(options.MasterHost, options.MasterPort, "http");
        _status = NodeStatus.Initial("peer", options.Name);
    }

    public string PeerId => _peerId;

    /// <summary>True once the master has welcomed this peer (at least once).</summary>
    public bool EverJoined => Volatile.Read(ref _everJoined);
    private bool _everJoined;
    public int Port => _server?.Port ?? 0;
    public NodeStatus Status => Volatile.Read(ref _status);
    public event EventHandler<NodeEvent>? Event;

    /// <summary>Completes when the folder matches the master's manifest (faults if the node fails).</summary>
    public Task WhenInSync => _inSync.Task;

    /// <summary>Runs until stopped (or fails with a <see cref="LanScatterException"/> the node cannot recover from).</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>Validates the folder and options, starts serving, and starts joining the master in the background.</summary>
    public static Task<PeerNode> StartAsync(PeerOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        if (PeerFolder.NeedsTakeoverConsent(options.Path) && !options.Force)
            throw new LanScatterException("FolderNotEmpty",
                $"'{options.Path}' is not empty and was never synced by LanScatter; files not on the master would be deleted. Use --force (-Force) to take it over, or --dry-run (-WhatIf) to see what would change");
        try
        {
            Directory.CreateDirectory(options.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LanScatterException("FolderUnusable", $"cannot create '{options.Path}': {ex.Message}", ex);
        }
        var node = new PeerNode(options, new PeerFolder(options.Path));
        node._server = HttpServer.Start(options.Bind, options.Port, node.HandleHttpAsync);
        node._run = Task.Run(() => node.RunAsync(node._stop.Token));
        return Task.FromResult(node);
    }

    /// <summary>What joining would change in the folder, without changing anything (reads the master's manifest over HTTP).</summary>
    public static async Task<SyncPreview> PreviewAsync(PeerOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string json;
        try
        {
            json = await http.GetStringAsync(new Uri(MasterUri(options.MasterHost, options.MasterPort, "http"), "/api/manifest")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new LanScatterException("MasterUnreachable", $"cannot reach the master at {options.MasterHost}:{options.MasterPort}: {ex.Message}", ex);
        }
        var manifest = ManifestJson.Deserialize(json);
        if (!Directory.Exists(options.Path)) return new SyncPreview(manifest.Files.Select(f => f.Path).ToList(), Array.Empty<string>(), Array.Empty<string>(), manifest.EmptyDirectories, manifest.TotalBytes);
        return await new PeerFolder(options.Path).PreviewAsync(manifest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes limits while running (Mbit/s, 0 = unlimited).</summary>
    public void SetLimits(double uploadMbit, double downloadMbit)
    {
        _upload.SetRate(TokenBucket.FromMbit(uploadMbit));
        _download.SetRate(TokenBucket.FromMbit(downloadMbit));
    }

    /// <summary>Stops the node; a second or concurrent call waits for the same stop.</summary>
    public Task StopAsync()
    {
        lock (_stop) return _stopping ??= StopCoreAsync();
    }

    private Task? _stopping;

    private async Task StopCoreAsync()
    {
        _stop.Cancel();
        foreach (var f in _fetches.Values) f.Cancel();
        if (_channel is not null) await _channel.CloseAsync("peer stopping").ConfigureAwait(false);
        try { if (_run is not null) await _run.ConfigureAwait(false); } catch (Exception ex) when (ex is OperationCanceledException or LanScatterException) { }
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
        _folder.SaveState(force: true);
        SetState(NodeState.Stopped);
        _inSync.TrySetCanceled();
        _http.Dispose();
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

    // ----- HTTP: chunks and status -----

    private async Task HandleHttpAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (path.StartsWith(ChunkResponder.Prefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _uploadsRunning);
            try
            {
                await ChunkResponder.ServeAsync(context, _folder.Locate, _arriving, _upload, _sent.Add, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _lastUploadEndTicks, DateTime.UtcNow.Ticks);
                Interlocked.Decrement(ref _uploadsRunning);
            }
            return;
        }
        if (path == "/api/status")
        {
            var s = Status;
            var json = JsonSerializer.Serialize(new SwarmStatusDto
            {
                Role = "peer", PeerId = _peerId, Name = s.Name, State = s.State.ToString(), BytesDone = s.BytesDone, BytesTotal = s.BytesTotal,
                DownloadBytesPerSecond = s.DownloadBytesPerSecond, UploadBytesPerSecond = s.UploadBytesPerSecond, ManifestVersion = _manifestVersion,
            }, ProtocolJsonContext.Default.SwarmStatusDto);
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = 404;
    }

    // ----- joining and following the master -----

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(0.5);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                SetState(_epoch is null ? NodeState.Connecting : NodeState.Reconnecting);
                await SessionAsync(cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(0.5);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ProtocolException ex) when (ex.Fatal)
            {
                Fail(ex);
                return;
            }
            catch (InvalidManifestException ex)
            {
                Fail(ex);
                return;
            }
            catch (LanScatterException ex) when (ex.ErrorId is "Refused" or "DeleteFailed" or "FolderUnusable")
            {
                Fail(ex);
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or LanScatterException or TimeoutException)
            {
                _lastError = $"master {_options.MasterHost}:{_options.MasterPort} unreachable ({ex.Message})";
                Report(NodeEventLevel.Warning, $"{_lastError}; retrying in {delay.TotalSeconds:F1} s");
            }
            CancelFetches();
            SetState(NodeState.Reconnecting);
            try { await Task.Delay(delay, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromSeconds(Math.Min(_options.MaxReconnectDelay.TotalSeconds, delay.TotalSeconds * 2));
        }
    }

    private async Task SessionAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(new Uri(MasterUri(_options.MasterHost, _options.MasterPort, "ws"), "ws"), connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("connecting timed out");
            }
        }
        using var channel = new ControlChannel(socket);
        _channel = channel;
        await channel.SendAsync(new HelloMessage
        {
            Protocol = MessageCodec.ProtocolVersion,
            PeerId = _peerId,
            Name = _options.Name,
            Address = _options.Advertise,
            Port = Port,
            MaxDownloads = _options.MaxDownloads,
            MaxUploads = _options.MaxUploads,
            Have = _epoch is null ? new List<string>() : _folder.HaveIds().ToList(),
        }, cancellationToken).ConfigureAwait(false);

        using var statusLoop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? reporter = null;
        try
        {
            while (true)
            {
                var message = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (message is null) throw new IOException("the master closed the connection");
                switch (message)
                {
                    case WelcomeMessage welcome:
                        await OnWelcomeAsync(channel, welcome, cancellationToken).ConfigureAwait(false);
                        reporter ??= ReportLoopAsync(channel, statusLoop.Token);
                        break;
                    case FetchMessage fetch:
                        StartFetch(channel, fetch);
                        break;
                    case AbortMessage abort:
                        if (_fetches.TryRemove(abort.TransferId, out var f)) f.Cancel();
                        break;
                    case ManifestDeltaMessage delta:
                        CancelFetches();
                        await FollowAsync(channel, ManifestDelta.Apply(_folder.Manifest, _manifestVersion, delta), delta.Version, cancellationToken).ConfigureAwait(false);
                        break;
                    case LimitsMessage limits:
                        SetLimits(limits.UploadLimitMbit > 0 ? limits.UploadLimitMbit : _options.UploadLimitMbit, limits.DownloadLimitMbit > 0 ? limits.DownloadLimitMbit : _options.DownloadLimitMbit);
                        break;
                    case ErrorMessage error:
                        if (error.Fatal) throw new LanScatterException("Refused", "the master refused this peer: " + error.Message);
                        Report(NodeEventLevel.Warning, "master: " + error.Message);
                        break;
                    default:
                        Report(NodeEventLevel.Warning, $"ignoring unexpected '{message.Type}' from the master");
                        break;
                }
            }
        }
        finally
        {
            statusLoop.Cancel();
            if (reporter is not null) try { await reporter.ConfigureAwait(false); } catch (OperationCanceledException) { }
            _channel = null;
        }
    }

    private async Task OnWelcomeAsync(ControlChannel channel, WelcomeMessage welcome, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _everJoined, true);
        if (welcome.UploadLimitMbit > 0 || welcome.DownloadLimitMbit > 0)
            SetLimits(welcome.UploadLimitMbit > 0 ? welcome.UploadLimitMbit : _options.UploadLimitMbit, welcome.DownloadLimitMbit > 0 ? welcome.DownloadLimitMbit : _options.DownloadLimitMbit);
        if (welcome.Epoch == _epoch && welcome.ManifestVersion == _manifestVersion)
        {
            await channel.SendAsync(new HaveMessage { Chunks = _folder.HaveIds().ToList(), Full = true }, cancellationToken).ConfigureAwait(false);
            CheckInSync();
            return;
        }
        if (_epoch is not null && welcome.Epoch != _epoch) Report(NodeEventLevel.Information, "the master restarted; checking the folder against its manifest");
        _epoch = welcome.Epoch;
        await FollowAsync(channel, ManifestJson.Deserialize(welcome.Manifest), welcome.ManifestVersion, cancellationToken).ConfigureAwait(false);
    }

    private async Task FollowAsync(ControlChannel channel, FolderManifest manifest, int version, CancellationToken cancellationToken)
    {
        SetState(NodeState.Syncing);
        await _folder.ApplyAsync(manifest, cancellationToken).ConfigureAwait(false);
        _manifestVersion = version;
        await channel.SendAsync(new HaveMessage { Chunks = _folder.HaveIds().ToList(), Full = true }, cancellationToken).ConfigureAwait(false);
        Report(NodeEventLevel.Information, $"following manifest version {version}: {manifest.Files.Count} files, {ChunkSizing.Format(manifest.TotalBytes)}");
        CheckInSync();
    }

    private void StartFetch(ControlChannel channel, FetchMessage fetch)
    {
        var active = new ActiveFetch(_stop.Token, DateTime.UtcNow);
        if (!_fetches.TryAdd(fetch.TransferId, active))
        {
            active.Dispose();
            return;
        }
        var token = active.Token;
        _ = Task.Run(async () =>
        {
            FetchOutcome outcome;
            bool fromMaster = fetch.Url.StartsWith("/", StringComparison.Ordinal);
            try
            {
                var target = _folder.TargetFor(fetch.ChunkId);
                if (target is null)
                {
                    outcome = new FetchOutcome(_folder.Has(fetch.ChunkId), 0, 0, "this chunk is not needed", false);
                }
                else
                {
                    var url = fromMaster ? new Uri(_masterBase, fetch.Url) : new Uri(fetch.Url);
                    // Other peers may be told to fetch this chunk from us while it arrives.
                    var arriving = _arriving.Begin(fetch.ChunkId, target.Value);
                    bool committed = false;
                    try
                    {
                        outcome = await _fetcher.FetchAsync(url, fetch.ChunkId, target.Value, n =>
                        {
                            active.AddBytes(n);
                            _received.Add(n);
                            arriving.Advance(n);
                            if (active.ComesToEnd(target.Value.Length, _options.EndingLead, DateTime.UtcNow)) AnnounceEnding(channel, fetch.TransferId, active.Bytes);
                        }, token).ConfigureAwait(false);
                        if (outcome.Ok)
                        {
                            // Counted before the commit: the commit that completes the folder must see every byte that got it there.
                            Interlocked.Add(ref fromMaster ? ref _fromMaster : ref _fromPeers, outcome.Bytes);
                            await _folder.CommitAsync(fetch.ChunkId, target.Value, token).ConfigureAwait(false);
                            committed = true;
                        }
                    }
                    finally
                    {
                        _arriving.End(fetch.ChunkId, arriving, committed);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                _fetches.TryRemove(fetch.TransferId, out _);
                return; // aborted by the master, or stopping: nothing to report
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LanScatterException)
            {
                outcome = new FetchOutcome(false, 0, 0, "local disk: " + ex.Message, false);
            }
            finally
            {
                active.Dispose();
            }
            _fetches.TryRemove(fetch.TransferId, out _);
            if (!outcome.Ok) Report(NodeEventLevel.Verbose, $"fetch of {fetch.ChunkId.Substring(0, 12)} from {fetch.Url} failed: {outcome.Error}");
            try
            {
                await channel.SendAsync(new TransferMessage
                {
                    TransferId = fetch.TransferId, Done = true, Ok = outcome.Ok, Bytes = outcome.Bytes, Seconds = outcome.Seconds,
                    Error = outcome.Error, SourceAtFault = outcome.SourceAtFault,
                }, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is gone; the master forgets the transfer on its side.
            }
            CheckInSync();
        });
    }

    // Fire and forget: the fetch goes on; a lost message only costs the gap it would have saved.
    private void AnnounceEnding(ControlChannel channel, long transferId, long bytes)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await channel.SendAsync(new TransferMessage { TransferId = transferId, Done = false, Ending = true, Bytes = bytes }, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });
    }

    private async Task ReportLoopAsync(ControlChannel channel, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var pair in _fetches)
                    await channel.SendAsync(new TransferMessage { TransferId = pair.Key, Done = false, Bytes = pair.Value.Bytes }, cancellationToken).ConfigureAwait(false);
                var (done, total) = _folder.Progress();
                await channel.SendAsync(new StatusMessage { BytesDone = done, BytesTotal = total, InSync = _folder.InSync }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                return;
            }
            Publish();
        }
    }

    private void CancelFetches()
    {
        foreach (var key in _fetches.Keys.ToList())
        {
            if (_fetches.TryRemove(key, out var f)) f.Cancel();
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

    private void Fail(Exception ex)
    {
        Report(NodeEventLevel.Error, ex.Message);
        SetState(NodeState.Failed, ex.Message);
        _inSync.TrySetException(ex);
    }

    private NodeState _state = NodeState.Starting;
    private string? _lastError;

    private void SetState(NodeState state, string? error = null)
    {
        _state = state;
        if (error is not null) _lastError = error;
        Publish();
    }

    private void Publish()
    {
        var (done, total) = _folder.Progress();
        Volatile.Write(ref _status, new NodeStatus("peer", _options.Name, _state, Port, done, total, _received.BytesPerSecond, _sent.BytesPerSecond,
            Interlocked.Read(ref _fromPeers), Interlocked.Read(ref _fromMaster), Array.Empty<PeerStatus>(), _lastError, DateTime.UtcNow));
    }

    private void Report(NodeEventLevel level, string message)
    {
        try { Event?.Invoke(this, new NodeEvent(DateTime.UtcNow, level, message)); } catch (Exception) { /* a host's handler must not break the node */ }
    }
}

