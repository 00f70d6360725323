using System.Net.Http.Headers;
using System.Text;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Security;

/// <summary>What a request's credential allows.</summary>
internal enum Access
{
    /// <summary>No credential, or a wrong one: 401 and no data.</summary>
    None,

    /// <summary>The read token: the status page, the swarm view, metrics.</summary>
    Read,

    /// <summary>A swarm member (or any request to a swarm without a secret): chunks and the manifest too.</summary>
    Member,
}

internal static class AccessRules
{
    /// <summary>What a path needs: members may do anything; the read token opens only the read-only paths.</summary>
    public static bool Permits(this Access access, bool readOnlyPath) => access == Access.Member || (access == Access.Read && readOnlyPath);
}

/// <summary>
/// Credentials on HTTP requests between nodes and from tools. A member signs each request:
/// <c>Authorization: LanScatter MAC</c>, MAC = HMAC(member key, "METHOD path?query"), so a credential
/// seen on the wire opens only the resource it was made for (whose bytes the eavesdropper saw
/// anyway). A control action also signs a single-use nonce from the master and its body, so it
/// cannot be replayed. The read token goes as <c>Bearer</c> or as a Basic password (browsers).
/// </summary>
internal static class HttpCredentials
{
    public const string Scheme = "LanScatter";

    /// <summary>A client's nonce for a signed response (the manifest), and the master's proof over it.</summary>
    public const string NonceHeader = "X-LanScatter-Nonce";
    public const string ProofHeader = "X-LanScatter-Proof";

    public static string RequestMac(SwarmSecret secret, string method, string pathAndQuery) =>
        Mac.Text(secret.MemberKey, method.ToUpperInvariant() + " " + pathAndQuery);

    public static string ControlMac(SwarmSecret secret, string method, string pathAndQuery, string nonce, string body) =>
        Mac.Text(secret.MemberKey, "control\n" + method.ToUpperInvariant() + " " + pathAndQuery + "\n" + nonce + "\n" + body);

    /// <summary>
    /// The master's proof over an answer: the MAC of "response\n" + nonce + "\n" + body, computed over the
    /// body's UTF-8 as it is sent or received (a manifest of hundreds of megabytes is not copied to sign it).
    /// </summary>
    public static string ResponseProof(SwarmSecret secret, string nonce, byte[] bodyUtf8) =>
        Mac.Text(secret.MemberKey, "response\n" + nonce + "\n", bodyUtf8);

    /// <summary>Signs a member's request (nothing without a secret).</summary>
    public static HttpRequestMessage Sign(HttpRequestMessage request, SwarmSecret? secret)
    {
        if (secret is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, RequestMac(secret, request.Method.Method, request.RequestUri!.PathAndQuery));
        return request;
    }

    /// <summary>The Authorization field's value for a member's request; null without a secret.</summary>
    public static string? Authorization(SwarmSecret? secret, string method, string pathAndQuery) =>
        secret is null ? null : Scheme + " " + RequestMac(secret, method, pathAndQuery);

    public static HttpRequestMessage SignControl(HttpRequestMessage request, SwarmSecret secret, string nonce, string body)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue(Scheme, nonce + ":" + ControlMac(secret, request.Method.Method, request.RequestUri!.PathAndQuery, nonce, body));
        return request;
    }

    /// <summary>What the request may do. Without a secret every request is a member's.</summary>
    public static Access Check(SwarmSecret? secret, ServerRequest request)
    {
        if (secret is null) return Access.Member;
        var (scheme, value) = Split(request.Headers["Authorization"]);
        switch (scheme)
        {
            case Scheme when !value.Contains(':'):
                return Mac.FixedTimeEquals(value, RequestMac(secret, request.Method, request.Target)) ? Access.Member : Access.None;
            case "Bearer":
                return Mac.FixedTimeEquals(value, secret.ReadToken) ? Access.Read : Access.None;
            case "Basic":
                return Mac.FixedTimeEquals(BasicPassword(value), secret.ReadToken) ? Access.Read : Access.None;
            default:
                return Access.None;
        }
    }

    /// <summary>True when a control request carries a fresh nonce of this master and a MAC over it and the body.</summary>
    public static bool CheckControl(SwarmSecret secret, ServerRequest request, string body, NonceStore nonces)
    {
        var (scheme, value) = Split(request.Headers["Authorization"]);
        int colon = value.IndexOf(':');
        if (scheme != Scheme || colon <= 0) return false;
        var nonce = value.Substring(0, colon);
        var mac = value.Substring(colon + 1);
        // The nonce is spent only by a valid request: a forger cannot burn an operator's nonce.
        return Mac.FixedTimeEquals(mac, ControlMac(secret, request.Method, request.Target, nonce, body)) && nonces.TryUse(nonce);
    }

    private static (string Scheme, string Value) Split(string? header)
    {
        if (header is null || header.Length > 1024) return ("", "");
        header = header.Trim();
        int space = header.IndexOf(' ');
        return space <= 0 ? ("", "") : (header.Substring(0, space), header.Substring(space + 1).Trim());
    }

    private static string? BasicPassword(string value)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            int colon = text.IndexOf(':');
            return colon < 0 ? null : text.Substring(colon + 1);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
