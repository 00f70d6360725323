using System.Net;
using System.Text;
using System.Text.Json;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>The body of the master's control request <c>POST /api/limits</c>: swarm-wide limits, Mbit/s (0 = unlimited, absent = unchanged).</summary>
public sealed class LimitsRequest
{
    public double? UploadMbps { get; set; }
    public double? DownloadMbps { get; set; }
}

/// <summary>
/// A small client of a master's JSON API, for hosts that watch or steer a swarm they did not start
/// (Get-LsSwarm -Master, Set-LsBandwidthLimit -Master). Failures are <see cref="LanScatterException"/>s
/// naming the master: MasterUnreachable, or ControlRefused when the master will not take the change.
/// </summary>
public sealed class SwarmClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly SwarmSecret? _secret;

    /// <summary>A client of the master at HOST:PORT; with the swarm's secret when it has one (requests are signed with it).</summary>
    public SwarmClient(string host, int port, TimeSpan? timeout = null, SwarmSecret? secret = null)
    {
        _secret = secret;
        Master = HostAddress.Format(host, port);
        try
        {
            _base = new Uri("http://" + Master + "/");
        }
        catch (UriFormatException ex)
        {
            throw new LanScatterException("InvalidAddress", $"'{host}' is not a valid host name or address", ex);
        }
        _http = DirectHttp.Client(timeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>A client of the master a user named: HOST or HOST:PORT (default port 10564); a bad address is InvalidAddress.</summary>
    public static SwarmClient ForMaster(string address, TimeSpan? timeout = null, SwarmSecret? secret = null)
    {
        var (host, port) = HostAddress.Parse(address, MasterOptions.DefaultPort);
        return new SwarmClient(host, port, timeout, secret);
    }

    /// <summary>HOST:PORT of the master.</summary>
    public string Master { get; }

    /// <summary>The swarm: the master first, then every peer; each row's <see cref="SwarmNodeInfo.Master"/> names this master.</summary>
    public async Task<SwarmDocument> GetSwarmAsync(CancellationToken cancellationToken = default)
    {
        var json = await SendAsync(HttpCredentials.Sign(new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "api/swarm")), _secret), cancellationToken).ConfigureAwait(false);
        SwarmDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.SwarmDocument);
        }
        catch (JsonException ex)
        {
            throw new LanScatterException("InvalidResponse", $"{Master} did not answer as a LanScatter master ({ex.Message})", ex);
        }
        if (doc is null || doc.Nodes.Count == 0) throw new LanScatterException("InvalidResponse", $"{Master} did not answer as a LanScatter master");
        foreach (var n in doc.Nodes) n.Master = Master;
        return doc;
    }

    /// <summary>Sets limits on every node of the swarm (null keeps a limit as it is).</summary>
    public async Task SetLimitsAsync(double? uploadMbps, double? downloadMbps, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.Serialize(new LimitsRequest { UploadMbps = uploadMbps, DownloadMbps = downloadMbps }, ProtocolJsonContext.Default.LimitsRequest);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "api/limits")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (_secret is not null)
        {
            // A control action is signed over a single-use nonce of the master's: it cannot be replayed.
            var nonce = (await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(_base, "api/nonce")), cancellationToken).ConfigureAwait(false)).Trim();
            HttpCredentials.SignControl(request, _secret, nonce, body);
        }
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using (request)
            using (var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                    throw new LanScatterException("Unauthorized", _secret is null
                        ? $"{Master} has a swarm secret: give it (-Secret, -SecretFile, --secret-file or {SwarmSecret.EnvironmentVariable})"
                        : $"{Master} did not accept the swarm secret given: it is not that swarm's secret");
                if (response.StatusCode == HttpStatusCode.Forbidden)
                    throw new LanScatterException("ControlRefused", $"{Master} refused the request: {text.Trim()}");
                if (!response.IsSuccessStatusCode)
                    throw new LanScatterException("InvalidResponse", $"{Master} answered {(int)response.StatusCode} {response.ReasonPhrase}: {text.Trim()}");
                return text;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new LanScatterException("MasterUnreachable", $"cannot reach the master at {Master}: {Reason(ex)}", ex);
        }
    }

    private static string Reason(Exception ex) => ex is TaskCanceledException ? "no answer in time" : ex.InnerException?.Message ?? ex.Message;

    public void Dispose() => _http.Dispose();
}
