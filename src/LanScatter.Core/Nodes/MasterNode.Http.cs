using System.Net;
using System.Text.Json;
using LanScatter.Core.Metrics;
using LanScatter.Core.Nodes.Dashboard;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Nodes;

// The master's HTTP endpoints: control connections (/ws), chunks, the JSON API, the status page
// and the one control action (/api/limits).
public sealed partial class MasterNode
{
    private const string ManifestPiecePrefix = "/api/manifest/";
    private readonly NonceStore _nonces = new();
    // Its instruments are made at the first scrape (MetricsEndpoint is lazy itself).
    private readonly MetricsEndpoint _metrics;

    private async Task HandleHttpAsync(HttpExchange context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path;
        var snapshot = _snapshot;
        // Open to all: the control connection (its join exchange is the credential), nonces for
        // control actions, and the control action itself (it checks its own signature).
        bool open = path is "/ws" or "/api/nonce" or "/api/limits";
        var access = HttpCredentials.Check(_options.Secret, context.Request);
        bool readOnly = path is "/" or "/api/swarm" or "/api/events" or "/api/matrix" or "/metrics";
        if (!open && !access.Permits(readOnly))
        {
            await Unauthorized.WriteAsync(context, readOnly).ConfigureAwait(false);
            return;
        }
        if (path == "/api/nonce")
        {
            await context.Response.WriteTextAsync("text/plain", _nonces.Issue()).ConfigureAwait(false);
            return;
        }
        if (path == "/api/swarm")
        {
            await context.Response.WriteTextAsync("application/json", SwarmJson()).ConfigureAwait(false);
            return;
        }
        if (path == "/api/events")
        {
            await DashboardPage.StreamAsync(context, SwarmJson, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/metrics")
        {
            if (_metrics.Render() is { } text) await context.Response.WriteTextAsync(PrometheusText.ContentType, text).ConfigureAwait(false);
            else context.Response.StatusCode = 503;
            return;
        }
        if (path == "/api/matrix")
        {
            var making = MatrixAsync(MatrixCells(context.Request.Target));
            // The loop is stopping (or stuck): no answer rather than a request held for ever.
            if (await Task.WhenAny(making, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false) != making) { context.Response.StatusCode = 503; return; }
            var matrix = await making.ConfigureAwait(false);
            await context.Response.WriteTextAsync("application/json", JsonSerializer.Serialize(matrix, ProtocolJsonContext.Default.SwarmMatrix)).ConfigureAwait(false);
            return;
        }
        if (path == "/")
        {
            await DashboardPage.WritePageAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/api/limits")
        {
            await HandleLimitsAsync(context).ConfigureAwait(false);
            return;
        }
        if (snapshot is null)
        {
            // Still scanning: peers retry, as they do when the master is away.
            context.Response.StatusCode = 503;
            return;
        }
        if (path == "/ws")
        {
            var ws = await context.AcceptWebSocketAsync().ConfigureAwait(false);
            if (ws is null) return; // not an upgrade: 400
            await RunSessionAsync(new ControlChannel(ws), context.Request.RemoteAddress).ConfigureAwait(false);
            return;
        }
        if (path.StartsWith(ChunkResponder.Prefix, StringComparison.Ordinal))
        {
            await ChunkResponder.ServeAsync(context, snapshot.Locate, arriving: null, _upload, _sent.Add, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/api/manifest")
        {
            // The index, signed over the client's nonce: a peer acts on no manifest an impostor
            // could have sent. The pieces it names are checked against their ids in it.
            var index = snapshot.Wire.Index;
            if (_options.Secret is { } secret && context.Request.Headers[HttpCredentials.NonceHeader] is { Length: > 0 and <= 64 } nonce)
                context.Response.SetHeader(HttpCredentials.ProofHeader, HttpCredentials.ResponseProof(secret, nonce, index));
            await context.Response.WriteBodyAsync("application/json", index).ConfigureAwait(false);
            return;
        }
        if (path.StartsWith(ManifestPiecePrefix, StringComparison.Ordinal))
        {
            // By id: a piece of a manifest replaced meanwhile is a 404, and the peer joins again.
            if (snapshot.Wire.PiecesById.TryGetValue(path.Substring(ManifestPiecePrefix.Length), out var piece))
                await context.Response.WriteBodyAsync("application/octet-stream", piece).ConfigureAwait(false);
            else context.Response.StatusCode = 404;
            return;
        }
        context.Response.StatusCode = 404;
    }

    // "?cells=N" (default 400, at most 4000).
    private static int MatrixCells(string target)
    {
        int q = target.IndexOf("cells=", StringComparison.Ordinal);
        if (q < 0) return SwarmMatrix.DefaultCells;
        var digits = new string(target.Skip(q + 6).TakeWhile(char.IsDigit).Take(5).ToArray());
        return int.TryParse(digits, out int n) ? Math.Max(1, Math.Min(SwarmMatrix.MaxCells, n)) : SwarmMatrix.DefaultCells;
    }

    // The last matrix made, kept a second: pages ask every 2 s, and with 300 peers of 50,000 chunks
    // one costs the loop (which plans transfers too) some 15 million lookups.
    private (DateTime Made, int Cells, SwarmMatrix Matrix)? _lastMatrix;

    // Made on the loop, which owns the planner; an empty matrix while the folder is still scanned.
    private Task<SwarmMatrix> MatrixAsync(int cells)
    {
        var done = new TaskCompletionSource<SwarmMatrix>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_snapshot is null) done.SetResult(new SwarmMatrix());
        else _loop.Post(() =>
        {
            if (_lastMatrix is { } last && last.Cells == cells && DateTime.UtcNow - last.Made < TimeSpan.FromSeconds(1))
            {
                done.SetResult(last.Matrix);
                return;
            }
            int count = _planner.ChunkCount;
            int per = SwarmMatrix.Grouping(count, cells);
            var matrix = new SwarmMatrix { ChunkCount = count, ChunksPerCell = per };
            var none = Array.Empty<int>();
            matrix.Nodes.Add(new SwarmMatrixRow { Role = "master", Name = _options.Name, Address = AdvertisedAddress, Port = Port, Cells = SwarmMatrix.Row(count, per, _ => true, none) });
            var flying = _planner.ActiveTransfers.GroupBy(t => t.Target).ToDictionary(g => g.Key, g => (ICollection<int>)new HashSet<int>(g.Select(t => t.Chunk)));
            foreach (var s in _sessions.Values)
            {
                var inFlight = flying.TryGetValue(s.Node, out var set) ? set : none;
                matrix.Nodes.Add(new SwarmMatrixRow { Role = "peer", Name = s.Name, Address = s.Address, Port = s.Port, Cells = SwarmMatrix.Row(count, per, c => _planner.Has(s.Node, c), inFlight) });
            }
            _lastMatrix = (DateTime.UtcNow, cells, matrix);
            done.SetResult(matrix);
        });
        return done.Task;
    }

    // The swarm document of the status published last, made once however many pages and event
    // streams ask for it (with 300 peers it is some 150 KB of JSON).
    private sealed record SwarmJsonOf(NodeStatus Status, string Json);
    private SwarmJsonOf? _swarmJson;

    private string SwarmJson()
    {
        var status = Status;
        if (Volatile.Read(ref _swarmJson) is { } made && ReferenceEquals(made.Status, status)) return made.Json;
        var json = JsonSerializer.Serialize(SwarmView.FromMaster(status, AdvertisedAddress), ProtocolJsonContext.Default.SwarmDocument);
        Volatile.Write(ref _swarmJson, new SwarmJsonOf(status, json));
        return json;
    }

    // Address shown for the master in the swarm view.
    private string AdvertisedAddress => _options.Bind is { Length: > 0 } bind && bind != "*" && bind != "0.0.0.0" ? bind : Environment.MachineName;

    /// <summary>Largest body of a control request.</summary>
    private const int MaxControlBody = 4096;

    // Limits for the whole swarm (every peer, and the master's own upload). With a secret, a request
    // signed over a fresh nonce (SwarmClient does it) from anywhere; without one, from this machine only.
    private async Task HandleLimitsAsync(HttpExchange context)
    {
        if (context.Request.Method != "POST") { context.Response.StatusCode = 405; return; }
        var secret = _options.Secret;
        if (secret is null && !IPAddress.IsLoopback(context.Request.RemoteAddress))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteTextAsync("text/plain", "control actions are accepted from the master's own machine only (the swarm has no secret)").ConfigureAwait(false);
            return;
        }
        var body = await BoundedBody.ReadAsync(context.Request, MaxControlBody).ConfigureAwait(false);
        if (body is null)
        {
            context.Response.StatusCode = 413;
            await context.Response.WriteTextAsync("text/plain", $"a control request has at most {MaxControlBody} bytes").ConfigureAwait(false);
            return;
        }
        if (secret is not null && !HttpCredentials.CheckControl(secret, context.Request, body, _nonces))
        {
            await Unauthorized.WriteAsync(context, readOnly: false).ConfigureAwait(false);
            return;
        }
        LimitsRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.LimitsRequest);
        }
        catch (JsonException)
        {
            request = null;
        }
        if (request is null || request.UploadMbps is < 0 or > 1e6 || request.DownloadMbps is < 0 or > 1e6)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteTextAsync("text/plain", "expected {\"uploadMbps\": N, \"downloadMbps\": N} with 0 (unlimited) to 1000000").ConfigureAwait(false);
            return;
        }
        Report(NodeEventLevel.Information, "swarm limits changed: " + BandwidthLimits.Describe(request.UploadMbps, request.DownloadMbps));
        SetLimits(request.UploadMbps, null);
        SetSwarmLimits(request.UploadMbps, request.DownloadMbps);
        context.Response.StatusCode = 204;
    }
}
