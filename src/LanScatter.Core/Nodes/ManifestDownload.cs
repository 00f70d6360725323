using System.Net;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>
/// Reads a master's manifest over HTTP (a dry run, or one too big for a control message). With a secret the request is signed and the
/// answer must carry the master's proof over a nonce of ours: a manifest from anyone else is refused.
/// </summary>
internal static class ManifestDownload
{
    /// <summary>The manifest as UTF-8, as it came: a million files' manifest is 177 MB, twice that as text.</summary>
    public static async Task<byte[]> GetAsync(Uri master, SwarmSecret? secret, CancellationToken cancellationToken)
    {
        var name = master.Authority;
        // Minutes, not seconds: the manifest of a million files is hundreds of megabytes.
        using var http = DirectHttp.Client(TimeSpan.FromMinutes(10));
        var nonce = Mac.NewNonce();
        using var request = HttpCredentials.Sign(new HttpRequestMessage(HttpMethod.Get, new Uri(master, "/api/manifest")), secret);
        request.Headers.Add(HttpCredentials.NonceHeader, nonce);
        byte[] json;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            json = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new LanScatterException("MasterUnreachable", $"cannot reach the master at {name}: {ex.Message}", ex);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new LanScatterException("Unauthorized", secret is null
                    ? $"the master at {name} has a swarm secret: give this peer the same one (LANSCATTER_SECRET, --secret-file, -Secret or -SecretFile)"
                    : $"the master at {name} did not accept this peer's swarm secret: give master and peers the same one");
            if (!response.IsSuccessStatusCode)
                throw new LanScatterException("MasterUnreachable", $"the master at {name} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            if (secret is not null)
            {
                var proof = response.Headers.TryGetValues(HttpCredentials.ProofHeader, out var values) ? values.FirstOrDefault() : null;
                if (!Mac.FixedTimeEquals(proof, HttpCredentials.ResponseProof(secret, nonce, json)))
                    throw new LanScatterException("Unauthorized", $"the manifest from {name} is not signed with the swarm secret (that master runs without it, or is not the swarm's master); nothing was compared");
            }
        }
        return json;
    }
}
