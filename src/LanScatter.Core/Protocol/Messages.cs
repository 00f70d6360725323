namespace LanScatter.Core.Protocol;

// The control protocol's messages, in one file so the wire format can be read in one place.
// Every message is a JSON object with a "type"; property names are camelCase.

/// <summary>Common base: the message's type name.</summary>
internal abstract class Message
{
    public string Type { get; set; } = "";
}

/// <summary>Peer → master, first message: who I am, where I serve chunks, what I already have.</summary>
internal sealed class HelloMessage : Message
{
    public int Protocol { get; set; }
    public string? PeerId { get; set; }
    public string? Name { get; set; }

    /// <summary>Address others use to reach this peer; empty means "the address you see me at".</summary>
    public string? Address { get; set; }
    public int Port { get; set; }

    /// <summary>Concurrent downloads and uploads this peer accepts (the master plans within them).</summary>
    public int MaxDownloads { get; set; } = 4;
    public int MaxUploads { get; set; } = 4;

    /// <summary>The peer's nonce for the join exchange; present when the peer has a swarm secret (see JoinExchange).</summary>
    public string? Nonce { get; set; }
    public List<string>? Have { get; set; }
}

/// <summary>Master → peer after a hello with a nonce: the master's nonce and its proof of the secret.</summary>
internal sealed class ChallengeMessage : Message
{
    public string Nonce { get; set; } = "";
    public string Proof { get; set; } = "";
}

/// <summary>Peer → master after a good challenge: the peer's proof of the secret. Every message after it is sealed.</summary>
internal sealed class AuthMessage : Message
{
    public string Proof { get; set; } = "";
}

/// <summary>Master → peer after hello: the session, the manifest and limits.</summary>
internal sealed class WelcomeMessage : Message
{
    public string Epoch { get; set; } = "";
    public string PeerId { get; set; } = "";
    public int ManifestVersion { get; set; }

    /// <summary>The manifest itself when small; empty when it is fetched from <c>/api/manifest</c> (see <see cref="ManifestDigest"/>).</summary>
    public string Manifest { get; set; } = "";

    /// <summary>
    /// Set when the manifest is too big to travel in a control message: the peer fetches it over
    /// HTTP and accepts it only if it hashes to this (the welcome is authenticated, so the manifest is too).
    /// </summary>
    public string? ManifestDigest { get; set; }

    /// <summary>Swarm-wide limits in Mbit/s (0 = unlimited); absent means each peer keeps its own.</summary>
    public double? UploadLimitMbit { get; set; }
    public double? DownloadLimitMbit { get; set; }
}

/// <summary>Master → peer: the folder changed. Files listed are added or replaced; removed ones are gone.</summary>
internal sealed class ManifestDeltaMessage : Message
{
    public int BaseVersion { get; set; }
    public int Version { get; set; }

    /// <summary>The whole new manifest when the chunk size changed (then the lists are empty).</summary>
    public string? FullManifest { get; set; }

    /// <summary>Set instead of the lists when they are too big for a control message: fetch the whole manifest from <c>/api/manifest</c>; it must hash to this.</summary>
    public string? FullManifestDigest { get; set; }
    public string? Upserts { get; set; }
    public List<string>? Removed { get; set; }
    public List<string>? EmptyDirectories { get; set; }
}

/// <summary>Master → peer: fetch a chunk from a swarm member.</summary>
internal sealed class FetchMessage : Message
{
    public long TransferId { get; set; }
    public string ChunkId { get; set; } = "";
    public string Url { get; set; } = "";

    /// <summary>
    /// A bundle: more small chunks to fetch from the same source in the same request (one path
    /// naming them all, <c>/chunks/{id},{id},…</c>), each its own transfer for the master.
    /// </summary>
    public List<BundledChunk>? More { get; set; }
}

/// <summary>One more chunk of a bundle (<see cref="FetchMessage.More"/>).</summary>
internal sealed class BundledChunk
{
    public long TransferId { get; set; }
    public string ChunkId { get; set; } = "";
}

/// <summary>Master → peer: stop a transfer (too slow, or the source left).</summary>
internal sealed class AbortMessage : Message
{
    public long TransferId { get; set; }
}

/// <summary>Peer → master: chunks this peer now has (fetched or found locally).</summary>
internal sealed class HaveMessage : Message
{
    public List<string>? Chunks { get; set; }

    /// <summary>True when the list is everything the peer has (after a manifest change), replacing what it said before.</summary>
    public bool Full { get; set; }

    /// <summary>With <see cref="Full"/>: chunks the peer will not fetch (they occur only in paths it excludes).</summary>
    public List<string>? Skip { get; set; }

    /// <summary>
    /// The full list goes on in the next 'have' (which has <see cref="Full"/> false): a peer of a
    /// million chunks would otherwise send one message far over the size limit. The master applies
    /// the list once its last part (More false) came.
    /// </summary>
    public bool More { get; set; }
}

/// <summary>Peer → master: chunks this peer no longer has.</summary>
internal sealed class LostMessage : Message
{
    public List<string>? Chunks { get; set; }
}

/// <summary>Peer → master: a transfer ended (or made progress, with <see cref="Done"/> false).</summary>
internal sealed class TransferMessage : Message
{
    public long? TransferId { get; set; }
    public bool Done { get; set; }

    /// <summary>
    /// With <see cref="Done"/> false: the last bytes are arriving, plan this download slot's next
    /// transfer now (it would otherwise idle for a round trip and a request between chunks).
    /// </summary>
    public bool Ending { get; set; }
    public bool? Ok { get; set; }
    public long? Bytes { get; set; }
    public double? Seconds { get; set; }
    public string? Error { get; set; }

    /// <summary>True when the source sent bad bytes or refused: the master avoids it.</summary>
    public bool SourceAtFault { get; set; }

    /// <summary>True when the bytes arrived whole but did not hash to the chunk id (a corrupt source).</summary>
    public bool HashMismatch { get; set; }

    /// <summary>
    /// Done and ok: more transfers of the same bundle that succeeded too. <see cref="Bytes"/> and
    /// <see cref="Seconds"/> then cover all of them (one rate sample for the bundle).
    /// </summary>
    public List<long>? Also { get; set; }
}

/// <summary>Peer → master: progress for status pages.</summary>
internal sealed class StatusMessage : Message
{
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public bool InSync { get; set; }
    public double DownloadBytesPerSecond { get; set; }
    public double UploadBytesPerSecond { get; set; }

    /// <summary>The limits in force on the peer (Mbit/s, 0 = unlimited).</summary>
    public double UploadLimitMbit { get; set; }
    public double DownloadLimitMbit { get; set; }

    /// <summary>Bytes this peer received from other peers and from the master (the share peers carry).</summary>
    public long BytesFromPeers { get; set; }
    public long BytesFromMaster { get; set; }

    /// <summary>The peer's last error or warning worth showing, if any.</summary>
    public string? LastError { get; set; }
}

/// <summary>
/// Peer → master: this peer is leaving (done, with --once): plan no new uploads from it. It closes
/// the connection once the uploads already running have ended.
/// </summary>
internal sealed class LeavingMessage : Message
{
}

/// <summary>Master → peer: new swarm-wide bandwidth limits (Mbit/s, 0 = unlimited; absent = unchanged).</summary>
internal sealed class LimitsMessage : Message
{
    public double? UploadLimitMbit { get; set; }
    public double? DownloadLimitMbit { get; set; }
}

/// <summary>Either way: something was wrong. Fatal errors are followed by closing the connection.</summary>
internal sealed class ErrorMessage : Message
{
    /// <summary>Codes a peer acts on: <see cref="Unauthorized"/> (no or a wrong swarm secret) ends it at once.</summary>
    public const string Unauthorized = "unauthorized";

    public string? Code { get; set; }
    public string Message { get; set; } = "";
    public bool Fatal { get; set; }
}
