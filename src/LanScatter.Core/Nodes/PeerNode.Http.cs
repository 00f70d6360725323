using System.Net;
using System.Text;
using System.Text.Json;
using LanScatter.Core.Metrics;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Nodes.Dashboard;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Nodes;

// What a peer serves over HTTP: chunks to other peers (held or still arriving), /api/status for the
// master's probe, and for people and scrapers its own status page, swarm document and metrics.
public sealed partial class PeerNode
{
    private MetricsEndpoint? _metricsEndpoint;
    private MetricsEndpoint Exporter => LazyInitializer.EnsureInitialized(ref _metricsEndpoint, () => new MetricsEndpoint(() => Status))!;

    // The peer alone, in the shape of the master's swarm document (so one page shows either).
    private string SwarmJson()
    {
        var s = Status;
        var doc = new SwarmDocument { ManifestVersion = s.ManifestVersion, GeneratedUtc = s.TimeUtc, StartedUtc = s.StartedUtc };
        doc.Nodes.Add(SwarmView.FromPeer(s, _options.Advertise ?? Environment.MachineName));
        return JsonSerializer.Serialize(doc, ProtocolJsonContext.Default.SwarmDocument);
    }

    private async Task HandleHttpAsync(HttpExchange context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path;
        var access = HttpCredentials.Check(_options.Secret, context.Request);
        bool readOnly = path is "/api/status" or "/metrics" or "/" or "/api/swarm" or "/api/events";
        if (!access.Permits(readOnly))
        {
            await Unauthorized.WriteAsync(context, readOnly).ConfigureAwait(false);
            return;
        }
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
        if (path == "/")
        {
            await DashboardPage.WritePageAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/api/swarm")
        {
            var body = Encoding.UTF8.GetBytes(SwarmJson());
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.OutputStream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/api/events")
        {
            await DashboardPage.StreamAsync(context, SwarmJson, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/metrics")
        {
            var text = Exporter.Render();
            if (text is null) { context.Response.StatusCode = 503; return; }
            var body = Encoding.UTF8.GetBytes(text);
            context.Response.ContentType = PrometheusText.ContentType;
            context.Response.ContentLength = body.Length;
            await context.Response.OutputStream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
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
            context.Response.ContentLength = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = 404;
    }
}
