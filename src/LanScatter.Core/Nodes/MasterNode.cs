using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Planning;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>
/// The master: scans its folder, serves chunks, keeps one control connection per peer, runs the
/// planner on every event and tells peers what to fetch from whom. Watches its folder and pushes
/// changes to peers as versioned deltas. All state is owned by one loop (<see cref="NodeLoop"/>).
/// </summary>
public sealed class MasterNode : IAsyncDisposable
{
    private readonly MasterOptions _options;
    private readonly string _root;
    private readonly string _epoch = Guid.NewGuid().ToString("N");
    private readonly NodeLoop _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly TokenBucket _upload;
    private readonly RateMeter _sent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Dictionary<string, PeerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PeerSession> _byNode = new();
    private readonly Dictionary<long, PeerSession> _transferTargets = new();
    private readonly List<Task> _background = new();
    private HttpServer? _http;
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;
    private volatile Snapshot _snapshot;
    private SwarmPlanner _planner = null!;

    /// <summary>Relays the planner has started under the current manifest (tests and diagnostics).</summary>
    internal long RelaysStarted => Volatile.Read(ref _planner).RelaysStarted;
    private int _masterNode;
    private NodeStatus _status;
    private string? _lastError;
    private int _rescanning;

    // What the network sees, swapped as a whole when the folder changes.
    private sealed record Snapshot(FolderManifest Manifest, int Version, string Json, ChunkCatalog Catalog, Dictionary<string, ChunkSource> Sources);

    private MasterNode(MasterOptions options, Snapshot snapshot)
    {
        _options = options;
        _root = Path.GetFullPath(options.Path);
        _snapshot = snapshot;
        _upload = new TokenBucket(TokenBucket.FromMbit(options.UploadLimitMbit));
        _loop = new NodeLoop(ex => Report(NodeEventLevel.Error, "internal error: " + ex.Message));
        _status = NodeStatus.Initial("master", options.Name);
        _swarmUp = options.SwarmUploadLimitMbit;
        _swarmDown = options.SwarmDownloadLimitMbit;
    }

    /// <summary>The port the master listens on (useful when started with port 0).</summary>
    public int Port => _http?.Port ?? 0;

    /// <summary>The newest status; immutable, readable from any thread.</summary>
    public NodeStatus Status => Volatile.Read(ref _status);

    /// <summary>The manifest peers are following and its version.</summary>
    public FolderManifest Manifest => _snapshot.Manifest;
    public int ManifestVersion => _snapshot.Version;

    /// <summary>Raised (on the node's loop) for anything worth logging.</summary>
    public event EventHandler<NodeEvent>? Event;

    /// <summary>Scans the folder and starts serving. Errors (missing folder, port in use) are <see cref="LanScatterException"/>s.</summary>
    public static async Task<MasterNode> StartAsync(MasterOptions options, IProgress<ScanProgress>? scanProgress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(options.Path)) throw new LanScatterException("FolderNotFound", $"folder not found: '{options.Path}'");
        if (options.MaxUploads < 1) throw new LanScatterException("InvalidOption", "the master needs at least one upload slot");
        var manifest = await FolderScanner.ScanAsync(options.Path, new ScanOptions { ChunkSize = options.ChunkSize, Progress = scanProgress }, cancellationToken).ConfigureAwait(false);
        var node = new MasterNode(options, BuildSnapshot(Path.GetFullPath(options.Path), manifest, 1));
        node.ResetPlanner();
        node._http = HttpServer.Start(options.Bind, options.Port, node.HandleHttpAsync);
        node._background.Add(node._loop.RunAsync(node._stop.Token));
        node._background.Add(node.TickAsync());
        node.StartWatching();
        node.Report(NodeEventLevel.Information, $"serving {manifest.Files.Count} files, {ChunkSizing.Format(manifest.TotalBytes)} in {manifest.ChunkCount} chunks of {ChunkSizing.Format(manifest.ChunkSize)} on port {node.Port}");
        node._loop.Post(node.Publish);
        return node;
    }

    /// <summary>Changes the master's own upload limit while running (Mbit/s, 0 = unlimited).</summary>
    public void SetUploadLimit(double mbit) => _upload.SetRate(TokenBucket.FromMbit(mbit));

    /// <summary>Pushes limits to every peer, now and to peers joining later (Mbit/s, 0 = unlimited).</summary>
    public void SetSwarmLimits(double uploadMbit, double downloadMbit) => _loop.Post(() =>
    {
        _swarmUp = uploadMbit;
        _swarmDown = downloadMbit;
        foreach (var s in _sessions.Values) s.Send(new LimitsMessage { UploadLimitMbit = uploadMbit, DownloadLimitMbit = downloadMbit });
    });

    // Limits pushed to peers; start from the options, changed by SetSwarmLimits (loop only).
    private double _swarmUp, _swarmDown;

    /// <summary>Rescans now (the watcher does this by itself; tests and scripts may want it at once).</summary>
    public Task RescanAsync() => RescanCoreAsync();

    /// <summary>Stops the node; a second or concurrent call waits for the same stop.</summary>
    public Task StopAsync()
    {
        lock (_stop) return _stopping ??= StopCoreAsync();
    }

    private Task? _stopping;

    private async Task StopCoreAsync()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() =>
        {
            foreach (var s in _sessions.Values.ToList()) s.CompleteOutbox();
            done.TrySetResult(true);
        });
        await Task.WhenAny(done.Task, Task.Delay(2000)).ConfigureAwait(false);
        _stop.Cancel();
        _loop.Complete();
        if (_http is not null) await _http.DisposeAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_background).ConfigureAwait(false); } catch (OperationCanceledException) { }
        Volatile.Write(ref _status, _status with { State = NodeState.Stopped, TimeUtc = DateTime.UtcNow });
        _probe.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private static Snapshot BuildSnapshot(string root, FolderManifest manifest, int version)
    {
        var catalog = ChunkCatalog.From(manifest);
        var sources = new Dictionary<string, ChunkSource>(StringComparer.Ordinal);
        foreach (var f in manifest.Files)
        {
            foreach (var c in f.Chunks)
            {
                if (!sources.ContainsKey(c.Id)) sources[c.Id] = new ChunkSource(ManifestPath.ToLocal(root, f.Path), c.Offset, c.Length);
            }
        }
        return new Snapshot(manifest, version, ManifestJson.Serialize(manifest), catalog, sources);
    }

    // ----- HTTP -----

    private async Task HandleHttpAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Url!.AbsolutePath;
        if (path == "/ws")
        {
            if (!context.Request.IsWebSocketRequest) { context.Response.StatusCode = 400; context.Response.Close(); return; }
            var ws = await context.AcceptWebSocketAsync(null).ConfigureAwait(false);
            await RunSessionAsync(new ControlChannel(ws.WebSocket), context.Request.RemoteEndPoint.Address).ConfigureAwait(false);
            return;
        }
        if (path.StartsWith(ChunkResponder.Prefix, StringComparison.Ordinal))
        {
            var snapshot = _snapshot;
            await ChunkResponder.ServeAsync(context, id => snapshot.Sources.TryGetValue(id, out var s) ? s : null, arriving: null, _upload, _sent.Add, cancellationToken).ConfigureAwait(false);
            return;
        }
        switch (path)
        {
            case "/api/manifest":
                await WriteAsync(context, "application/json", _snapshot.Json).ConfigureAwait(false);
                return;
            case "/api/swarm":
                await WriteAsync(context, "application/json", JsonSerializer.Serialize(ToDto(Status), ProtocolJsonContext.Default.SwarmStatusDto)).ConfigureAwait(false);
                return;
            case "/":
                await WriteAsync(context, "text/html; charset=utf-8", StatusPage.Render(Status, _snapshot.Version)).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    private static async Task WriteAsync(HttpListenerContext context, string type, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = type;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
    }

    private SwarmStatusDto ToDto(NodeStatus s) => new()
    {
        Role = s.Role,
        Name = s.Name,
        State = s.State.ToString(),
        BytesDone = s.BytesDone,
        BytesTotal = s.BytesTotal,
        UploadBytesPerSecond = s.UploadBytesPerSecond,
        ManifestVersion = _snapshot.Version,
        Peers = s.Peers.Select(p => new SwarmPeerDto
        {
            Id = p.Id, Name = p.Name, Address = p.Address, Port = p.Port, State = p.State.ToString(),
            BytesDone = p.BytesDone, BytesTotal = p.BytesTotal, ChunksHeld = p.ChunksHeld, Slow = p.Slow,
        }).ToList(),
    };

    // ----- control connections -----

    private async Task RunSessionAsync(ControlChannel channel, IPAddress remote)
    {
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4().ToString() : remote.ToString();
        var session = new PeerSession(channel, address);
        var pump = session.PumpAsync(_stop.Token);
        try
        {
            while (!_stop.IsCancellationRequested && !session.Closed)
            {
                Message message;
                try
                {
                    var raw = await channel.ReceiveRawAsync(_stop.Token).ConfigureAwait(false);
                    if (raw is null) break;
                    message = MessageCodec.Decode(raw);
                }
                catch (ProtocolException ex)
                {
                    bool fatal = ex.Fatal || !session.HelloReceived;
                    Refuse(session, ex.Message + (fatal && !ex.Fatal ? " (a connection must start with a valid 'hello')" : ""), fatal);
                    if (fatal) break;
                    continue;
                }
                _loop.Post(() => Handle(session, message));
            }
        }
        catch (OperationCanceledException)
        {
        }
        _loop.Post(() => Disconnected(session));
        await pump.ConfigureAwait(false);
        channel.Dispose();
    }

    private void Refuse(PeerSession session, string message, bool fatal)
    {
        Report(NodeEventLevel.Warning, $"peer {(session.Name.Length > 0 ? session.Name : session.RemoteAddress)}: {message}");
        session.Send(new ErrorMessage { Message = message, Fatal = fatal });
        if (fatal)
        {
            session.Closed = true;
            session.CompleteOutbox();
        }
    }

    private void Handle(PeerSession session, Message message)
    {
        if (session.Closed) return;
        if (!session.HelloReceived)
        {
            if (message is not HelloMessage hello) { Refuse(session, $"expected 'hello' first, got '{message.Type}'", fatal: true); return; }
            session.HelloReceived = true;
            Admit(session, hello);
            return;
        }
        switch (message)
        {
            case HelloMessage:
                Refuse(session, "'hello' was already received on this connection", fatal: false);
                break;
            case HaveMessage have when session.Joined:
                OnHave(session, have.Chunks, lost: false, full: have.Full);
                break;
            case LostMessage lost when session.Joined:
                OnHave(session, lost.Chunks, lost: true, full: false);
                break;
            case TransferMessage transfer when session.Joined:
                OnTransfer(session, transfer);
                break;
            case StatusMessage status when session.Joined:
                session.BytesDone = status.BytesDone;
                session.BytesTotal = status.BytesTotal;
                session.InSync = status.InSync;
                break;
            case LeavingMessage when session.Joined:
                _planner.StopUploadsFrom(session.Node);
                Report(NodeEventLevel.Information, $"peer {session.Name} is leaving once its running uploads end");
                Replan();
                break;
            case ErrorMessage error:
                Report(NodeEventLevel.Warning, $"peer {session.Name} reports: {error.Message}");
                break;
            case HaveMessage or LostMessage or TransferMessage or StatusMessage or LeavingMessage:
                Refuse(session, $"'{message.Type}' before the peer was admitted", fatal: false);
                break;
            default:
                Refuse(session, $"a peer may not send '{message.Type}'", fatal: false);
                break;
        }
    }

    // Runs on the loop: cheap checks now, the address probe off the loop (an unreachable peer must
    // not stall the swarm), admission back on the loop.
    private void Admit(PeerSession session, HelloMessage hello)
    {
        if (hello.Protocol != MessageCodec.ProtocolVersion)
        {
            Refuse(session, $"protocol version {hello.Protocol} is not supported: this master speaks version {MessageCodec.ProtocolVersion}; run the same LanScatter version on master and peers", fatal: true);
            return;
        }
        if (string.IsNullOrWhiteSpace(hello.PeerId) || hello.PeerId!.Length > 100) { Refuse(session, "'hello' needs a peerId (1-100 characters)", fatal: true); return; }
        if (hello.Port is < 1 or > 65535) { Refuse(session, "'hello' needs the port the peer serves chunks on (1-65535)", fatal: true); return; }
        if (hello.MaxDownloads is < 1 or > 64 || hello.MaxUploads is < 0 or > 64) { Refuse(session, "'hello' slot counts must be 1-64 downloads and 0-64 uploads", fatal: true); return; }
        session.MaxDownloads = hello.MaxDownloads;
        session.MaxUploads = hello.MaxUploads;
        session.Id = hello.PeerId;
        session.Name = string.IsNullOrWhiteSpace(hello.Name) ? hello.PeerId : hello.Name!;
        session.Address = string.IsNullOrWhiteSpace(hello.Address) ? session.RemoteAddress : hello.Address!.Trim();
        session.Port = hello.Port;

        // Other peers will be sent to this address: only admit it once it proves to be this peer.
        _ = Task.Run(async () =>
        {
            var problem = await ProbeAsync(session).ConfigureAwait(false);
            _loop.Post(() => Join(session, hello, problem));
        });
    }

    private void Join(PeerSession session, HelloMessage hello, string? probeProblem)
    {
        if (session.Closed) return;
        if (probeProblem is not null) { Refuse(session, probeProblem, fatal: true); return; }
        if (_sessions.TryGetValue(session.Id, out var old)) Drop(old, "replaced by a new connection of the same peer");
        var snapshot = _snapshot;
        var have = MapIds(hello.Have, snapshot.Catalog, out _);
        session.Node = _planner.AddNode(false, session.MaxUploads, session.MaxDownloads, have);
        session.Joined = true;
        _sessions[session.Id] = session;
        _byNode[session.Node] = session;
        session.Send(new WelcomeMessage
        {
            Epoch = _epoch,
            PeerId = session.Id,
            ManifestVersion = snapshot.Version,
            Manifest = snapshot.Json,
            UploadLimitMbit = _swarmUp,
            DownloadLimitMbit = _swarmDown,
        });
        Report(NodeEventLevel.Information, $"peer {session.Name} joined from {session.BaseUrl} with {have.Count}/{snapshot.Catalog.Count} chunks");
        Replan();
    }

    private async Task<string?> ProbeAsync(PeerSession session)
    {
        try
        {
            var json = await _probe.GetStringAsync(session.BaseUrl + "/api/status").ConfigureAwait(false);
            var dto = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.SwarmStatusDto);
            return dto?.PeerId == session.Id ? null : $"{session.BaseUrl} is not this peer: advertise an address other peers can reach (--advertise)";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"cannot reach this peer at {session.BaseUrl} ({ex.Message}); advertise an address other peers can reach (--advertise)";
        }
    }

    private List<int> MapIds(List<string>? ids, ChunkCatalog catalog, out int unknown)
    {
        var result = new List<int>();
        unknown = 0;
        foreach (var id in ids ?? new List<string>())
        {
            if (id is not null && catalog.TryGetIndex(id, out int i)) result.Add(i);
            else unknown++;
        }
        return result;
    }

    private void OnHave(PeerSession session, List<string>? ids, bool lost, bool full)
    {
        if (ids is null) { Refuse(session, $"'{(lost ? "lost" : "have")}' needs a 'chunks' list", fatal: false); return; }
        var mapped = MapIds(ids, _snapshot.Catalog, out int unknown);
        if (full)
        {
            var keep = new HashSet<int>(mapped);
            for (int c = 0; c < _snapshot.Catalog.Count; c++) if (!keep.Contains(c)) _planner.ChunkLost(session.Node, c);
        }
        foreach (int c in mapped)
        {
            if (lost) _planner.ChunkLost(session.Node, c); else _planner.ChunkGained(session.Node, c);
        }
        if (unknown > 0) Refuse(session, $"{unknown} chunk id(s) are not in manifest version {_snapshot.Version}; ignored", fatal: false);
        Replan();
    }

    private void OnTransfer(PeerSession session, TransferMessage t)
    {
        if (t.TransferId is null || (t.Done && t.Ok is null))
        {
            Refuse(session, "'transfer' needs 'transferId', and 'ok' when 'done' is true", fatal: false);
            return;
        }
        long id = t.TransferId.Value;
        if (!_transferTargets.TryGetValue(id, out var target) || target != session) return; // aborted or not this peer's
        var now = _clock.Elapsed;
        if (!t.Done)
        {
            if (t.Ending)
            {
                _planner.TransferEnding(id, now);
                Replan();
            }
            else _planner.TransferProgress(id, now);
            return;
        }
        _transferTargets.Remove(id);
        if (t.Ok == true) _planner.TransferSucceeded(id, t.Bytes ?? 0, t.Seconds ?? 0, now);
        else
        {
            _planner.TransferFailed(id, now, t.SourceAtFault);
            Report(NodeEventLevel.Verbose, $"transfer {id} to {session.Name} failed: {t.Error}");
        }
        Replan();
    }

    private void Disconnected(PeerSession session)
    {
        session.Closed = true;
        session.CompleteOutbox();
        if (session.Joined && _sessions.TryGetValue(session.Id, out var current) && current == session)
        {
            Drop(session, "disconnected");
        }
    }

    private void Drop(PeerSession session, string why)
    {
        _sessions.Remove(session.Id);
        _byNode.Remove(session.Node);
        foreach (var t in _planner.RemoveNode(session.Node)) AbortTransfer(t);
        session.Joined = false;
        session.CompleteOutbox();
        Report(NodeEventLevel.Information, $"peer {session.Name} left ({why})");
        Replan();
    }

    // ----- planning -----

    private void ResetPlanner()
    {
        var catalog = _snapshot.Catalog;
        _planner = new SwarmPlanner(catalog.Sizes.Count == 0 ? new long[] { 1 } : catalog.Sizes, _options.Planner);
        _masterNode = _planner.AddNode(true, _options.MaxUploads, 0, Enumerable.Range(0, catalog.Count));
    }

    private void Replan()
    {
        var plan = _planner.Plan(_clock.Elapsed);
        foreach (var abort in plan.Abort) AbortTransfer(abort.Transfer);
        var snapshot = _snapshot;
        foreach (var order in plan.Start)
        {
            if (!_byNode.TryGetValue(order.Target, out var target)) continue;
            var id = snapshot.Catalog.Ids[order.Chunk];
            string url = order.Source == _masterNode ? ChunkResponder.Prefix + id
                : _byNode.TryGetValue(order.Source, out var source) ? source.BaseUrl + ChunkResponder.Prefix + id : "";
            if (url.Length == 0) continue;
            _transferTargets[order.Id] = target;
            target.Send(new FetchMessage { TransferId = order.Id, ChunkId = id, Url = url });
        }
    }

    private void AbortTransfer(TransferOrder order)
    {
        if (_transferTargets.TryGetValue(order.Id, out var target))
        {
            _transferTargets.Remove(order.Id);
            target.Send(new AbortMessage { TransferId = order.Id });
        }
    }

    private async Task TickAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(500, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            _loop.Post(() => { Replan(); Publish(); });
        }
    }

    private void Publish()
    {
        var snapshot = _snapshot;
        var peers = _sessions.Values.Select(s => new PeerStatus(s.Id, s.Name, s.Address, s.Port,
            s.InSync ? NodeState.InSync : NodeState.Syncing, s.BytesDone, s.BytesTotal, _planner.CountOf(s.Node), _planner.IsSlowNode(s.Node))).ToList();
        Volatile.Write(ref _status, new NodeStatus("master", _options.Name, _stop.IsCancellationRequested ? NodeState.Stopped : NodeState.Serving, Port,
            snapshot.Manifest.TotalBytes, snapshot.Manifest.TotalBytes, 0, _sent.BytesPerSecond, 0, _sent.Total, peers, _lastError, DateTime.UtcNow));
    }

    // ----- folder changes -----

    private void StartWatching()
    {
        try
        {
            _watcher = new FileSystemWatcher(_root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
            FileSystemEventHandler changed = (_, e) => OnFolderEvent(e.FullPath);
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, e) => OnFolderEvent(e.FullPath);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            Report(NodeEventLevel.Warning, $"cannot watch the folder ({ex.Message}); changes are picked up by the periodic rescan");
        }
        _debounce = new Timer(_ => _ = RescanCoreAsync(), null, _options.RescanInterval, _options.RescanInterval);
    }

    private void OnFolderEvent(string fullPath)
    {
        var relative = fullPath.Length > _root.Length ? fullPath.Substring(_root.Length).TrimStart(Path.DirectorySeparatorChar, '/') : "";
        if (StateFolder.Contains(relative.Replace(Path.DirectorySeparatorChar, '/'))) return; // our own state files
        _debounce?.Change(_options.ChangeDebounce, _options.RescanInterval);
    }

    private async Task RescanCoreAsync()
    {
        if (_stop.IsCancellationRequested || Interlocked.Exchange(ref _rescanning, 1) == 1) return;
        try
        {
            var current = _snapshot;
            var manifest = await FolderScanner.ScanAsync(_root, new ScanOptions { ChunkSize = _options.ChunkSize ?? current.Manifest.ChunkSize }, _stop.Token).ConfigureAwait(false);
            if (ManifestJson.Serialize(manifest) == current.Json) return;
            var applied = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loop.Post(() => { ApplyManifest(manifest); applied.TrySetResult(true); });
            await applied.Task.ConfigureAwait(false);
        }
        catch (LanScatterException ex)
        {
            _lastError = ex.Message;
            Report(NodeEventLevel.Warning, "rescan failed, will retry: " + ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _rescanning, 0);
        }
    }

    private void ApplyManifest(FolderManifest manifest)
    {
        var old = _snapshot;
        var next = BuildSnapshot(_root, manifest, old.Version + 1);
        var delta = ManifestDelta.Between(old.Manifest, old.Version, manifest, next.Version);
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
            session.Node = _planner.AddNode(false, session.MaxUploads, session.MaxDownloads, MapIds(ids, next.Catalog, out _));
            _byNode[session.Node] = session;
            session.Send(delta);
        }
        Report(NodeEventLevel.Information, $"folder changed: manifest version {next.Version} ({delta.Removed?.Count ?? 0} removed, {manifest.Files.Count} files)");
        Replan();
    }

    private void Report(NodeEventLevel level, string message)
    {
        if (level == NodeEventLevel.Error) _lastError = message;
        try { Event?.Invoke(this, new NodeEvent(DateTime.UtcNow, level, message)); } catch (Exception) { /* a host's handler must not break the node */ }
    }
}
