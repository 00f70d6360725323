using System.Net;
using System.Text;
using System.Text.Json;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Nodes;

// What a peer serves over HTTP: chunks to other peers (held or still arriving) and /api/status for the master's probe.
public sealed partial class PeerNode
{
    private async Task HandleHttpAsync(HttpExchange context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path;
        var access = HttpCredentials.Check(_options.Secret, context.Request);
        bool readOnly = path == "/api/status";
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
