using System.Net;
using System.Text.Json;
using LanScatter.Core.Planning;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

// The master's side of the control protocol: one session per peer connection — hello, admission
// (after probing the address other peers will be sent to), have/lost/transfer/status reports, leaving.
public sealed partial class MasterNode
{
    private readonly HttpClient _probe = DirectHttp.Client(TimeSpan.FromSeconds(5));
    private readonly Dictionary<string, PeerSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PeerSession> _byNode = new();

    // `remote` comes from the HTTP server, which already maps IPv4-mapped addresses to IPv4.
    private async Task RunSessionAsync(ControlChannel channel, IPAddress remote)
    {
        var session = new PeerSession(channel, remote.ToString());
        var pump = session.PumpAsync(_stop.Token);
        try
        {
            var hello = await JoinExchangeAsync(session).ConfigureAwait(false);
            if (hello is null) session.Closed = true;
            else _loop.Post(() => Handle(session, hello));
            while (!_stop.IsCancellationRequested && !session.Closed)
            {
                Message message;
                try
                {
                    var raw = await channel.ReceiveRawAsync(_stop.Token).ConfigureAwait(false);
                    if (raw is null) break;
                    message = MessageCodec.Decode(raw);
                }
                catch (ProtocolException ex)
                {
                    Refuse(session, ex.Message, ex.Fatal);
                    if (ex.Fatal) break;
                    continue;
                }
                _loop.Post(() => Handle(session, message));
            }
        }
        catch (OperationCanceledException)
        {
        }
        _loop.Post(() => Disconnected(session));
        await pump.ConfigureAwait(false);
        channel.Dispose();
    }

    private void Refuse(PeerSession session, string message, bool fatal, string? code = null)
    {
        Report(NodeEventLevel.Warning, $"peer {(session.Name.Length > 0 ? session.Name : session.RemoteAddress)}: {message}");
        session.Send(new ErrorMessage { Code = code, Message = message, Fatal = fatal });
        if (fatal)
        {
            session.Closed = true;
            session.CompleteOutbox();
        }
    }

    /// <summary>Time a new connection has to send its hello (and its proof, with a secret) before it is closed.</summary>
    internal static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The start of a session, on its own task: the hello and, with a secret, the join exchange
    /// (<see cref="JoinExchange"/>), within <see cref="JoinTimeout"/>. Null when the peer was refused
    /// or left; the hello otherwise, for the loop to admit.
    /// </summary>
    private async Task<HelloMessage?> JoinExchangeAsync(PeerSession session)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(JoinTimeout);
        try
        {
            var message = await ReceiveFirstAsync(session, timeout.Token).ConfigureAwait(false);
            if (message is null) return null;
            if (message is not HelloMessage hello) { Refuse(session, $"expected 'hello' first, got '{message.Type}'", fatal: true); return null; }
            session.Name = hello.Name is { Length: > 0 and <= 100 } name ? name : session.RemoteAddress;
            var secret = _options.Secret;
            if (secret is null && hello.Nonce is not null)
            {
                Refuse(session, "the peer has a swarm secret and this master runs without one: give the master the same secret, or run the peer without one", fatal: true, ErrorMessage.Unauthorized);
                return null;
            }
            if (secret is null) return hello;
            if (!JoinExchange.IsNonce(hello.Nonce))
            {
                Refuse(session, "this swarm has a secret and the peer did not offer one: give the peer the swarm secret (LANSCATTER_SECRET, --secret-file, -Secret or -SecretFile)", fatal: true, ErrorMessage.Unauthorized);
                return null;
            }
            var masterNonce = Mac.NewNonce();
            session.Send(new ChallengeMessage { Nonce = masterNonce, Proof = JoinExchange.MasterProof(secret, hello.Nonce!, masterNonce) });
            var answer = await ReceiveFirstAsync(session, timeout.Token).ConfigureAwait(false);
            if (answer is null) return null;
            if (answer is ErrorMessage error) { Report(NodeEventLevel.Warning, $"peer {session.Name} refused to join: {error.Message}"); return null; }
            if (answer is not AuthMessage auth || !Mac.FixedTimeEquals(auth.Proof, JoinExchange.PeerProof(secret, hello.Nonce!, masterNonce)))
            {
                Refuse(session, "the peer's swarm secret does not match the master's", fatal: true, ErrorMessage.Unauthorized);
                return null;
            }
            var (send, receive) = JoinExchange.MasterSeals(secret, hello.Nonce!, masterNonce);
            session.Channel.Seal(send, receive);
            return hello;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            Refuse(session, $"no hello within {JoinTimeout.TotalSeconds:F0} s", fatal: true);
            return null;
        }
    }

    // One message of the join exchange; null (and the session refused) when it is not a valid message.
    private async Task<Message?> ReceiveFirstAsync(PeerSession session, CancellationToken cancellationToken)
    {
        try
        {
            var raw = await session.Channel.ReceiveRawAsync(cancellationToken).ConfigureAwait(false);
            if (raw is null) { session.Closed = true; return null; }
            return MessageCodec.Decode(raw);
        }
        catch (ProtocolException ex)
        {
            Refuse(session, ex.Message + (ex.Fatal ? "" : " (a connection must start with a valid 'hello')"), fatal: true);
            return null;
        }
    }

    private void Handle(PeerSession session, Message message)
    {
        if (session.Closed) return;
        session.LastSeenUtc = DateTime.UtcNow;
        if (!session.Admitted)
        {
            // The first message posted is always the hello the join exchange returned.
            session.Admitted = true;
            Admit(session, (HelloMessage)message);
            return;
        }
        switch (message)
        {
            case HelloMessage or AuthMessage:
                Refuse(session, $"'{message.Type}' belongs to the start of a connection, which is over", fatal: false);
                break;
            case HaveMessage have when session.Joined && (have.Full || session.FullHave is not null):
                OnFullHavePart(session, have);
                break;
            case HaveMessage have when session.Joined:
                OnHave(session, have.Chunks, lost: false, full: false);
                break;
            case LostMessage lost when session.Joined:
                OnHave(session, lost.Chunks, lost: true, full: false);
                break;
            case TransferMessage transfer when session.Joined:
                OnTransfer(session, transfer);
                break;
            case StatusMessage status when session.Joined:
                session.BytesDone = status.BytesDone;
                session.BytesTotal = status.BytesTotal;
                session.InSync = status.InSync;
                session.LastStatus = status;
                break;
            case LeavingMessage when session.Joined:
                session.Leaving = true;
                _planner.StopUploadsFrom(session.Node);
                Report(NodeEventLevel.Information, $"peer {session.Name} is leaving once its running uploads end");
                Replan();
                break;
            case ErrorMessage error:
                Report(NodeEventLevel.Warning, $"peer {session.Name} reports: {error.Message}");
                break;
            case HaveMessage or LostMessage or TransferMessage or StatusMessage or LeavingMessage:
                Refuse(session, $"'{message.Type}' before the peer was admitted", fatal: false);
                break;
            default:
                Refuse(session, $"a peer may not send '{message.Type}'", fatal: false);
                break;
        }
    }

    // Runs on the loop: cheap checks now, the address probe off the loop (an unreachable peer must
    // not stall the swarm), admission back on the loop.
    private void Admit(PeerSession session, HelloMessage hello)
    {
        if (hello.Protocol != MessageCodec.ProtocolVersion)
        {
            Refuse(session, $"protocol version {hello.Protocol} is not supported: this master speaks version {MessageCodec.ProtocolVersion}; run the same LanScatter version on master and peers", fatal: true);
            return;
        }
        if (string.IsNullOrWhiteSpace(hello.PeerId) || hello.PeerId!.Length > 100) { Refuse(session, "'hello' needs a peerId (1-100 characters)", fatal: true); return; }
        if (hello.Port is < 1 or > 65535) { Refuse(session, "'hello' needs the port the peer serves chunks on (1-65535)", fatal: true); return; }
        if (hello.MaxDownloads is < 1 or > 64 || hello.MaxUploads is < 0 or > 64) { Refuse(session, "'hello' slot counts must be 1-64 downloads and 0-64 uploads", fatal: true); return; }
        session.MaxDownloads = hello.MaxDownloads;
        session.MaxUploads = hello.MaxUploads;
        session.Id = hello.PeerId;
        session.Name = string.IsNullOrWhiteSpace(hello.Name) ? hello.PeerId : hello.Name!;
        session.Address = string.IsNullOrWhiteSpace(hello.Address) ? session.RemoteAddress : hello.Address!.Trim();
        session.Port = hello.Port;
        if (Uri.CheckHostName(session.Address) == UriHostNameType.Unknown)
        {
            Refuse(session, $"'{session.Address}' is not a host name or IP address other peers could reach: advertise one (--advertise, -Advertise)", fatal: true);
            return;
        }

        // Other peers will be sent to this address: only admit it once it proves to be this peer.
        _ = Task.Run(async () =>
        {
            var problem = await ProbeAsync(session).ConfigureAwait(false);
            _loop.Post(() => Join(session, hello, problem));
        });
    }

    private void Join(PeerSession session, HelloMessage hello, string? probeProblem)
    {
        if (session.Closed) return;
        if (probeProblem is not null) { Refuse(session, probeProblem, fatal: true); return; }
        if (_sessions.TryGetValue(session.Id, out var old)) Drop(old, "replaced by a new connection of the same peer");
        var snapshot = Current;
        var have = MapIds(hello.Have, snapshot.Catalog, out _);
        AddToPlanner(session, have);
        var inline = snapshot.InlineText;
        session.Joined = true;
        _sessions[session.Id] = session;
        session.Send(new WelcomeMessage
        {
            Epoch = _epoch,
            PeerId = session.Id,
            ManifestVersion = snapshot.Version,
            Manifest = inline ?? "",
            ManifestDigest = inline is null ? snapshot.Digest : null,
            UploadLimitMbit = _swarmUp,
            DownloadLimitMbit = _swarmDown,
        });
        Report(NodeEventLevel.Information, $"peer {session.Name} joined from {session.BaseUrl} with {have.Count}/{snapshot.Catalog.Count} chunks");
        Replan();
    }

    private async Task<string?> ProbeAsync(PeerSession session)
    {
        try
        {
            using var request = HttpCredentials.Sign(new HttpRequestMessage(HttpMethod.Get, session.BaseUrl + "/api/status"), _options.Secret);
            using var response = await _probe.SendAsync(request).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var json = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var dto = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.SwarmStatusDto);
            return dto?.PeerId == session.Id ? null : $"{session.BaseUrl} is not this peer: advertise an address other peers can reach (--advertise)";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or UriFormatException or InvalidOperationException)
        {
            // Whatever the probe meets, the session gets an answer: an escaped exception would leave it waiting for ever.
            return $"cannot reach this peer at {session.BaseUrl} ({ex.Message}); advertise an address other peers can reach (--advertise)";
        }
    }

    private List<int> MapIds(List<string>? ids, ChunkCatalog catalog, out int unknown)
    {
        var result = new List<int>();
        unknown = 0;
        foreach (var id in ids ?? new List<string>())
        {
            if (id is not null && catalog.TryGetIndex(id, out int i)) result.Add(i);
            else unknown++;
        }
        return result;
    }

    // A peer in the planner, holding `have`. No downloads until it has applied the manifest and
    // said what it holds (a full 'have', see OnHave): an order it cannot start yet would count
    // against the source, and a source judged slow is avoided for a minute — the master, for a
    // fresh peer its only one. Used at the join and after every new manifest.
    private void AddToPlanner(PeerSession session, IEnumerable<int> have)
    {
        session.Node = _planner.AddNode(false, session.MaxUploads, 0, have);
        session.Ready = false;
        _byNode[session.Node] = session;
    }

    // A full 'have' comes in parts (HaveMessage.More); it replaces what the peer said before once
    // its last part is here. A new full list restarts the collection.
    private void OnFullHavePart(PeerSession session, HaveMessage part)
    {
        if (part.Chunks is null) { session.FullHave = null; Refuse(session, "'have' needs a 'chunks' list", fatal: false); return; }
        if (part.Full || session.FullHave is null) session.FullHave = new FullHaveParts();
        session.FullHave.Chunks.AddRange(part.Chunks);
        if (part.Skip is not null) session.FullHave.Skip.AddRange(part.Skip);
        if (part.More)
        {
            // Bounded: a peer that never ends its list must not fill the master's memory.
            if (session.FullHave.Chunks.Count + session.FullHave.Skip.Count <= 4L * Current.Catalog.Count + 200_000) return;
            session.FullHave = null;
            Refuse(session, "a full 'have' far longer than the manifest has chunks; ignored", fatal: false);
            return;
        }
        var whole = session.FullHave;
        session.FullHave = null;
        _planner.SetSkipped(session.Node, MapIds(whole.Skip, Current.Catalog, out _));
        OnHave(session, whole.Chunks, lost: false, full: true);
    }

    private void OnHave(PeerSession session, List<string>? ids, bool lost, bool full)
    {
        if (ids is null) { Refuse(session, $"'{(lost ? "lost" : "have")}' needs a 'chunks' list", fatal: false); return; }
        var mapped = MapIds(ids, Current.Catalog, out int unknown);
        if (full)
        {
            var keep = new HashSet<int>(mapped);
            for (int c = 0; c < Current.Catalog.Count; c++) if (!keep.Contains(c)) _planner.ChunkLost(session.Node, c);
        }
        foreach (int c in mapped)
        {
            if (lost) _planner.ChunkLost(session.Node, c); else _planner.ChunkGained(session.Node, c);
        }
        if (unknown > 0) Refuse(session, $"{unknown} chunk id(s) are not in manifest version {Current.Version}; ignored", fatal: false);
        if (full && !session.Ready)
        {
            session.Ready = true;
            _planner.SetMaxDownloads(session.Node, session.MaxDownloads);
        }
        Replan();
    }

    private void OnTransfer(PeerSession session, TransferMessage t)
    {
        if (t.TransferId is null || (t.Done && t.Ok is null))
        {
            Refuse(session, "'transfer' needs 'transferId', and 'ok' when 'done' is true", fatal: false);
            return;
        }
        long id = t.TransferId.Value;
        if (!_transferTargets.TryGetValue(id, out var target) || target != session) return; // aborted or not this peer's
        var now = _clock.Elapsed;
        if (!t.Done)
        {
            if (t.Ending)
            {
                _planner.TransferEnding(id, now);
                Replan();
            }
            else _planner.TransferProgress(id, now, t.Bytes ?? 0);
            return;
        }
        _transferTargets.Remove(id);
        if (t.Ok == true)
        {
            _planner.TransferSucceeded(id, t.Bytes ?? 0, t.Seconds ?? 0, now);
            // The rest of a bundle: the bytes and time above were the bundle's, counted once.
            foreach (long also in t.Also ?? Enumerable.Empty<long>())
            {
                if (_transferTargets.TryGetValue(also, out var alsoTarget) && alsoTarget == session && _transferTargets.Remove(also))
                    _planner.TransferSucceeded(also, 0, 0, now);
            }
        }
        else
        {
            _planner.TransferFailed(id, now, t.SourceAtFault);
            session.TransfersFailed++;
            session.LastTransferError = t.Error;
            _transfersFailed++;
            if (t.HashMismatch)
            {
                session.HashMismatches++;
                _hashMismatches++;
            }
            Report(NodeEventLevel.Verbose, $"transfer {id} to {session.Name} failed: {t.Error}");
        }
        Replan();
    }

    private void Disconnected(PeerSession session)
    {
        session.Closed = true;
        session.CompleteOutbox();
        if (session.Joined && _sessions.TryGetValue(session.Id, out var current) && current == session)
        {
            Drop(session, "disconnected");
        }
    }

    private void Drop(PeerSession session, string why)
    {
        _sessions.Remove(session.Id);
        _byNode.Remove(session.Node);
        // A peer that said it was leaving may have the end of its last uploads still on the wire.
        foreach (var t in _planner.RemoveNode(session.Node, keepUploads: session.Leaving)) AbortTransfer(t);
        session.Joined = false;
        session.CompleteOutbox();
        Report(NodeEventLevel.Information, $"peer {session.Name} left ({why})");
        Replan();
    }
}
