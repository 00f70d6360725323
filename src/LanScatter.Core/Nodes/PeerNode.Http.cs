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
    // Its instruments are made at the first scrape (MetricsEndpoint is lazy itself).
    private readonly MetricsEndpoint _metrics;

    private string SwarmJson() => JsonSerializer.Serialize(SwarmView.OfPeer(Status, _options.Advertise ?? Environment.MachineName), ProtocolJsonContext.Default.SwarmDocument);

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
            await context.Response.WriteTextAsync("application/json", SwarmJson(), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/api/events")
        {
            await DashboardPage.StreamAsync(context, SwarmJson, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (path == "/metrics")
        {
            if (_metrics.Render() is { } text) await context.Response.WriteTextAsync(PrometheusText.ContentType, text, cancellationToken).ConfigureAwait(false);
            else context.Response.StatusCode = 503;
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
            await context.Response.WriteTextAsync("application/json", json, cancellationToken).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = 404;
    }
}
