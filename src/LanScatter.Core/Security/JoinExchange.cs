namespace LanScatter.Core.Security;

/// <summary>
/// The join exchange, each side proving it knows the secret without sending it:
/// peer → hello (nonce Np); master → challenge (nonce Nm, proof HMAC(join key, "master", Np, Nm));
/// peer checks it (an impostor master fails here) → auth (proof HMAC(join key, "peer", Np, Nm));
/// the master checks that. Both then seal every further message with keys derived from both nonces,
/// so nobody can inject or alter a manifest, an order or a report, or replay an old session's.
/// </summary>
internal static class JoinExchange
{
    public static string MasterProof(SwarmSecret secret, string peerNonce, string masterNonce) => Proof(secret, "master", peerNonce, masterNonce);

    public static string PeerProof(SwarmSecret secret, string peerNonce, string masterNonce) => Proof(secret, "peer", peerNonce, masterNonce);

    /// <summary>Seals for the master's side of a session: (what it sends, what it receives).</summary>
    public static (MessageSeal Send, MessageSeal Receive) MasterSeals(SwarmSecret secret, string peerNonce, string masterNonce) =>
        (new MessageSeal(Key(secret, "to-peer", peerNonce, masterNonce)), new MessageSeal(Key(secret, "to-master", peerNonce, masterNonce)));

    /// <summary>Seals for the peer's side: (what it sends, what it receives).</summary>
    public static (MessageSeal Send, MessageSeal Receive) PeerSeals(SwarmSecret secret, string peerNonce, string masterNonce) =>
        (new MessageSeal(Key(secret, "to-master", peerNonce, masterNonce)), new MessageSeal(Key(secret, "to-peer", peerNonce, masterNonce)));

    /// <summary>Nonces are ours (22 URL-safe characters) or a peer's: anything else is refused before use.</summary>
    public static bool IsNonce(string? nonce) => nonce is { Length: >= 16 and <= 64 } && nonce.All(c => char.IsLetterOrDigit(c) || c is '-' or '_');

    private static string Proof(SwarmSecret secret, string role, string peerNonce, string masterNonce) =>
        Mac.Text(secret.JoinKey, $"proof\n{role}\n{peerNonce}\n{masterNonce}");

    private static byte[] Key(SwarmSecret secret, string direction, string peerNonce, string masterNonce) =>
        Mac.Compute(secret.JoinKey, $"session\n{direction}\n{peerNonce}\n{masterNonce}");
}
