using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Tests.Support.Fuzz;

/// <summary>
/// Hostile orders, manifests and deltas from a master played by the test against a live peer (an
/// open swarm, so every message reaches the peer's decoder). A peer that refuses and stops (an
/// invalid manifest, a fatal error) is started again on the same folder.
/// </summary>
internal sealed class PeerFuzz : IAsyncDisposable
{
    private readonly Channel<ControlChannel> _sessions = Channel.CreateUnbounded<ControlChannel>();
    private readonly Dictionary<string, byte[]> _chunks;
    private readonly HttpServer _master;
    private readonly string _folder;
    private PeerNode? _peer;

    public PeerFuzz(string folder, IReadOnlyDictionary<string, byte[]> files, int chunkSize)
    {
        _folder = folder;
        _chunks = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var list = new List<ManifestFile>();
        foreach (var (path, bytes) in files)
        {
            var chunks = new List<ManifestChunk>();
            for (int offset = 0; offset < bytes.Length; offset += chunkSize)
            {
                var piece = bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)).ToArray();
                var id = ChunkId.Of(piece);
                _chunks[id] = piece;
                chunks.Add(new ManifestChunk(offset, piece.Length, id));
            }
            list.Add(new ManifestFile(path, bytes.Length, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), chunks));
        }
        Manifest = new FolderManifest(chunkSize, list.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), new[] { "empty" });
        _master = HttpServer.Start("127.0.0.1", 0, ServeAsync);
    }

    public FolderManifest Manifest { get; }

    private async Task ServeAsync(HttpExchange context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path;
        if (path == "/ws" && context.Request.IsWebSocketRequest)
        {
            var ws = (await context.AcceptWebSocketAsync())!;
            var channel = new ControlChannel(ws);
            _sessions.Writer.TryWrite(channel);
            // The session lives until the fuzz loop is done with it.
            while (ws.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested) await Task.Delay(50, cancellationToken).ContinueWith(_ => { });
            return;
        }
        if (path.StartsWith("/chunks/", StringComparison.Ordinal) && _chunks.TryGetValue(path.Substring(8), out var bytes))
        {
            await context.Response.OutputStream.WriteAsync(bytes, cancellationToken);
            return;
        }
        context.Response.StatusCode = 404;
    }

    /// <summary>Every this many messages the fuzz waits until the peer has handled them all.</summary>
    private const int SyncEvery = 8;

    public async Task RunAsync(int count, int seed, FuzzCounts counts)
    {
        var m = new Mutator(seed);
        var ids = Manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct().ToList();
        var welcome = PlayedNodes.Welcome(ManifestJson.Serialize(Manifest), epoch: "fuzz");
        int sent = 0;
        long syncId = 1_000_000_000;
        while (sent < count)
        {
            var channel = await NextSessionAsync(counts);
            int version = 1;
            var reports = Channel.CreateUnbounded<long>();
            try
            {
                await channel.ReceiveRawAsync(CancellationToken.None); // hello
                await channel.SendRawAsync(Encoding.UTF8.GetBytes(welcome), CancellationToken.None);
                var reading = DrainAsync(channel, reports.Writer);
                while (sent < count && !reading.IsCompleted && !_peer!.Completion.IsCompleted)
                {
                    counts.Try();
                    sent++;
                    var id = m.Pick(ids);
                    var upsert = ManifestJson.Serialize(new FolderManifest(Manifest.ChunkSize, new[] { new ManifestFile("new/added.txt", _chunks[id].Length, DateTime.UtcNow, new[] { new ManifestChunk(0, _chunks[id].Length, id) }) }, Array.Empty<string>()));
                    var seeds = new[]
                    {
                        $$"""{"type":"fetch","transferId":{{sent}},"chunkId":"{{id}}","url":"/chunks/{{id}}"}""",
                        $$"""{"type":"fetch","transferId":{{sent}},"chunkId":"{{id}}","url":"http://127.0.0.1:1/chunks/{{id}}"}""",
                        $$"""{"type":"abort","transferId":{{sent - 1}}}""",
                        """{"type":"limits","uploadLimitMbit":100,"downloadLimitMbit":200}""",
                        """{"type":"error","message":"from the fuzz","fatal":false}""",
                        $$"""{"type":"manifest-delta","baseVersion":{{version}},"version":{{version + 1}},"upserts":{{System.Text.Json.JsonSerializer.Serialize(upsert)}},"removed":["{{Manifest.Files[0].Path}}"],"emptyDirectories":["empty"]}""",
                        welcome,
                        """{"type":"challenge","nonce":"AAAAAAAAAAAAAAAAAAAAAA","proof":"x"}""",
                    };
                    var mutated = m.Mutate(m.Pick(seeds));
                    if (Encoding.UTF8.GetString(mutated).Contains("manifest-delta")) version++; // a delta that applies moves the version on
                    await channel.SendRawAsync(mutated, CancellationToken.None);
                    if (sent % SyncEvery == 0 && !await SyncAsync(channel, ++syncId, m.Pick(ids), reports.Reader, reading)) break;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
            {
            }
            channel.Dispose();
            await RestartIfEndedAsync(counts);
        }
    }

    // The peer handles the master's messages in order: once it reports on a fetch sent after them,
    // it has handled them all. False when the session or the peer ended first.
    private async Task<bool> SyncAsync(ControlChannel channel, long transferId, string id, ChannelReader<long> reports, Task reading)
    {
        await channel.SendRawAsync(Encoding.UTF8.GetBytes($$"""{"type":"fetch","transferId":{{transferId}},"chunkId":"{{id}}","url":"/chunks/{{id}}"}"""), CancellationToken.None);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await reports.WaitToReadAsync(wait.Token))
            {
                while (reports.TryRead(out var done)) if (done == transferId) return true;
            }
        }
        catch (OperationCanceledException)
        {
            if (!reading.IsCompleted && !_peer!.Completion.IsCompleted) throw new TimeoutException($"the peer did not report transfer {transferId} within 20 s: {_peer.Status}");
        }
        return false;
    }

    // Reads what the peer says; the ids of transfers it reports done go to the sync.
    private static async Task DrainAsync(ControlChannel channel, ChannelWriter<long> reports)
    {
        try
        {
            while (await channel.ReceiveRawAsync(CancellationToken.None) is { } raw)
            {
                var text = Encoding.UTF8.GetString(raw);
                if (!text.Contains("\"type\":\"transfer\"") || !text.Contains("\"done\":true")) continue;
                using var doc = System.Text.Json.JsonDocument.Parse(raw);
                if (doc.RootElement.TryGetProperty("transferId", out var t) && t.TryGetInt64(out var done)) reports.TryWrite(done);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or LanScatterException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            reports.TryComplete();
        }
    }

    // The peer's next connection (starting it first if it is not running).
    private async Task<ControlChannel> NextSessionAsync(FuzzCounts counts)
    {
        if (_peer is null) await StartPeerAsync();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _sessions.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            counts.Crash("the peer did not reconnect within 30 s: " + _peer!.Status);
            throw;
        }
    }

    // A peer that refused and stopped is a rejection; one that stopped for any other reason is a crash.
    private async Task RestartIfEndedAsync(FuzzCounts counts)
    {
        var peer = _peer!;
        await Task.WhenAny(peer.Completion, Task.Delay(200));
        if (!peer.Completion.IsCompleted) return; // still running: it reconnects by itself
        try
        {
            await peer.Completion;
        }
        catch (LanScatterException ex) when (ex.ErrorId != "InternalError")
        {
            counts.Reject();
        }
        catch (Exception ex)
        {
            counts.Crash("the peer ended with " + ex);
        }
        await peer.DisposeAsync();
        _peer = null;
    }

    private async Task StartPeerAsync()
    {
        _peer = new PeerNode(new PeerOptions
        {
            Path = _folder, MasterHost = "127.0.0.1", MasterPort = _master.Port, Port = 0, Bind = "127.0.0.1", Advertise = "127.0.0.1",
            Name = "fuzzed", Force = true, ConnectTimeout = TimeSpan.FromSeconds(30), MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        _peer.Start();
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null) await _peer.DisposeAsync();
        await _master.DisposeAsync();
    }
}
