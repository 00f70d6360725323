using System.Net;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>
/// Reads a master's manifest over HTTP in its compact form (a dry run, or one too big for a
/// control message): the index from <c>/api/manifest</c>, then every piece it names from
/// <c>/api/manifest/{id}</c>, each checked against its id and read as it comes. With a secret the
/// requests are signed and the index must carry the master's proof over a nonce of ours: a
/// manifest from anyone else is refused.
/// </summary>
internal static class ManifestDownload
{
    /// <summary>A manifest fetched, and how many bytes it took.</summary>
    public sealed record Fetched(FolderManifest Manifest, long Bytes, int Pieces);

    /// <summary>
    /// The master's manifest. With <paramref name="expectedDigest"/> (from an authenticated message)
    /// the index must be that one; an <see cref="IOException"/> says the manifest changed meanwhile.
    /// </summary>
    public static async Task<Fetched> GetAsync(Uri master, SwarmSecret? secret, string? expectedDigest, CancellationToken cancellationToken)
    {
        // Minutes, not seconds: the manifest of a million files is tens of megabytes.
        using var http = DirectHttp.Client(TimeSpan.FromMinutes(10));
        var nonce = Mac.NewNonce();
        var index = await GetAsync(http, master, "/api/manifest", secret, nonce, cancellationToken).ConfigureAwait(false)
            ?? throw new LanScatterException("MasterUnreachable", $"the master at {master.Authority} has no manifest to give (answered 404)");
        if (expectedDigest is not null && ManifestReference.Digest(index) != expectedDigest) throw Changed();
        var reader = new ManifestPieceReader(index);
        long bytes = index.Length;
        // The next piece is on its way while one is read: two in memory at most.
        Task<byte[]?> Piece(int i) => GetAsync(http, master, "/api/manifest/" + reader.Pieces[i].Id, secret, nonce: null, cancellationToken);
        var coming = reader.Pieces.Count > 0 ? Piece(0) : null;
        try
        {
            for (int i = 0; coming is not null; i++)
            {
                var body = await coming.ConfigureAwait(false) ?? throw Changed();
                coming = i + 1 < reader.Pieces.Count ? Piece(i + 1) : null;
                bytes += body.Length;
                reader.Add(body);
            }
        }
        finally
        {
            // A piece refused leaves the next one's request behind: its failure is nobody's news.
            if (coming is not null) _ = coming.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return new Fetched(reader.Finish(), bytes, reader.Pieces.Count);
    }

    // A different index, or a piece the master no longer has: the folder changed between the
    // message and the fetch (or during it).
    private static IOException Changed() => new("the master's manifest changed while it was being fetched");

    // The body of a GET, or null for a 404. With a nonce, the answer must carry the master's proof over it.
    private static async Task<byte[]?> GetAsync(HttpClient http, Uri master, string path, SwarmSecret? secret, string? nonce, CancellationToken cancellationToken)
    {
        var name = master.Authority;
        using var request = HttpCredentials.Sign(new HttpRequestMessage(HttpMethod.Get, new Uri(master, path)), secret);
        if (nonce is not null) request.Headers.Add(HttpCredentials.NonceHeader, nonce);
        byte[] body;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
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
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
                throw new LanScatterException("MasterUnreachable", $"the master at {name} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            if (secret is not null && nonce is not null)
            {
                var proof = response.Headers.TryGetValues(HttpCredentials.ProofHeader, out var values) ? values.FirstOrDefault() : null;
                if (!Mac.FixedTimeEquals(proof, HttpCredentials.ResponseProof(secret, nonce, body)))
                    throw new LanScatterException("Unauthorized", $"the manifest from {name} is not signed with the swarm secret (that master runs without it, or is not the swarm's master); nothing was compared");
            }
        }
        return body;
    }
}
