using System.Security.Cryptography;
using System.Text;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Security;

/// <summary>
/// The secret a swarm shares: every key and token a node uses is derived from it, and it never
/// crosses the wire. Given through the environment (<see cref="EnvironmentVariable"/>) or a file,
/// never on a command line (process lists and shell history show those).
/// </summary>
public sealed class SwarmSecret
{
    /// <summary>Where hosts look for the secret when no file is named.</summary>
    public const string EnvironmentVariable = "LANSCATTER_SECRET";

    /// <summary>Shorter secrets are refused: the join exchange can be attacked offline by guessing.</summary>
    public const int MinimumLength = 12;

    private SwarmSecret(byte[] secret)
    {
        JoinKey = Derive(secret, "join");
        MemberKey = Derive(secret, "member");
        ReadToken = "lsr_" + Base64Url(Derive(secret, "read-token"), 24);
    }

    /// <summary>Key of the join exchange (challenge-response) and the session keys derived from it.</summary>
    internal byte[] JoinKey { get; }

    /// <summary>Key of swarm members' HTTP requests (chunks, manifest, control actions).</summary>
    internal byte[] MemberKey { get; }

    /// <summary>
    /// A read-only credential for the status page, <c>/api/swarm</c> and metrics (a browser or a
    /// Prometheus scraper sends it as a bearer token or a Basic password). It fetches no chunk and
    /// changes nothing, and the secret cannot be worked out from it.
    /// </summary>
    public string ReadToken { get; }

    /// <summary>A secret from text; <paramref name="source"/> names where it came from in errors.</summary>
    public static SwarmSecret FromText(string text, string source)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) throw new LanScatterException("InvalidSecret", $"the swarm secret from {source} is empty");
        if (trimmed.Length < MinimumLength)
            throw new LanScatterException("InvalidSecret", $"the swarm secret from {source} has {trimmed.Length} characters; use at least {MinimumLength} (lanscatter secret new makes one)");
        return new SwarmSecret(Encoding.UTF8.GetBytes(trimmed));
    }

    /// <summary>The secret in a file (surrounding white space and line ends ignored).</summary>
    public static SwarmSecret FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new LanScatterException("InvalidSecret", $"cannot read the swarm secret file '{path}': {ex.Message}", ex);
        }
        return FromText(text, $"'{path}'");
    }

    /// <summary>The secret in <see cref="EnvironmentVariable"/>, or null when it is not set.</summary>
    public static SwarmSecret? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(text) ? null : FromText(text!, EnvironmentVariable);
    }

    /// <summary>The file if one is named, else the environment, else null (an open swarm).</summary>
    public static SwarmSecret? Resolve(string? secretFile) => secretFile is { Length: > 0 } ? FromFile(secretFile) : FromEnvironment();

    /// <summary>A new random secret (256 bits, URL-safe text) for a new swarm.</summary>
    public static string NewSecret()
    {
        var bytes = new byte[32];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        return Base64Url(bytes, bytes.Length);
    }

    // One key per purpose: HMAC-SHA256 keyed by the secret over a label (a PRF, as in HKDF-Expand's single block).
    private static byte[] Derive(byte[] secret, string label)
    {
        using var hmac = new HMACSHA256(secret);
        return hmac.ComputeHash(Encoding.UTF8.GetBytes("lanscatter/v1/" + label));
    }

    internal static string Base64Url(byte[] bytes, int count) =>
        Convert.ToBase64String(bytes, 0, count).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
