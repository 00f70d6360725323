using System.Net.WebSockets;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Storage;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

// Joining the master and following it: reconnecting with backoff, the control messages, applying manifests and deltas.
public sealed partial class PeerNode
{
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(0.5);
        var started = DateTime.UtcNow;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                SetState(_epoch is null ? NodeState.Connecting : NodeState.Reconnecting);
                await SessionAsync(cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(0.5);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ProtocolException ex) when (ex.Fatal)
            {
                Fail(new LanScatterException("ProtocolError", ex.Message, ex));
                return;
            }
            catch (InvalidManifestException ex)
            {
                Fail(new LanScatterException("InvalidManifest", ex.Message, ex));
                return;
            }
            catch (LanScatterException ex) when (ex.ErrorId is "Refused" or "Unauthorized" or "DeleteFailed" or "FolderUnusable" or "InvalidAddress" or LocalDisk.ErrorId)
            {
                Fail(ex);
                return;
            }
            // An OperationCanceledException not of our stop: a WebSocket aborted under a send or receive.
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or LanScatterException or TimeoutException or OperationCanceledException)
            {
                _lastError = $"master {_options.MasterHost}:{_options.MasterPort} unreachable: {NetworkErrors.Describe(ex, _options.MasterHost, _options.MasterPort)}";
                if (!EverJoined && _options.ConnectTimeout is { } limit && limit > TimeSpan.Zero && DateTime.UtcNow - started + delay > limit)
                {
                    Fail(new LanScatterException("MasterUnreachable", $"{_lastError}; gave up after {limit.TotalSeconds:F0} s", ex));
                    return;
                }
                Report(NodeEventLevel.Warning, $"{_lastError}; retrying in {delay.TotalSeconds:F1} s");
            }
            catch (Exception ex)
            {
                // A bug must end the peer with a reason, never leave it hanging with its session gone.
                Fail(new LanScatterException("InternalError", $"unexpected {ex.GetType().Name}: {ex.Message}", ex));
                return;
            }
            CancelFetches();
            SetState(NodeState.Reconnecting);
            try { await Task.Delay(delay, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromSeconds(Math.Min(_options.MaxReconnectDelay.TotalSeconds, delay.TotalSeconds * 2));
        }
    }

    private async Task SessionAsync(CancellationToken cancellationToken)
    {
        using var socket = DirectHttp.WebSocket();
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(new Uri(MasterUri(_options.MasterHost, _options.MasterPort, "ws"), "ws"), connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("connecting timed out");
            }
        }
        using var channel = new ControlChannel(socket);
        _channel = channel;
        var nonce = _options.Secret is null ? null : Mac.NewNonce();
        await channel.SendAsync(new HelloMessage
        {
            Protocol = MessageCodec.ProtocolVersion,
            Nonce = nonce,
            PeerId = _peerId,
            Name = _options.Name,
            Address = _options.Advertise,
            Port = Port,
            MaxDownloads = _options.MaxDownloads,
            MaxUploads = _options.MaxUploads,
            Have = HelloHave(),
        }, cancellationToken).ConfigureAwait(false);

        using var statusLoop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? reporter = null;
        try
        {
            while (true)
            {
                Message? message;
                try
                {
                    message = await channel.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ProtocolException ex) when (!ex.Fatal)
                {
                    // Skipped and said, as the master does with a peer's: reconnecting would not make it valid.
                    Report(NodeEventLevel.Warning, "ignoring a malformed message from the master: " + ex.Message);
                    continue;
                }
                if (message is null) throw new IOException("the master closed the connection");
                // With a secret nothing is followed before the master has proved it: an impostor's
                // manifest or orders would make this peer delete or overwrite files.
                if (nonce is not null && !channel.IsSealed && message is not (ChallengeMessage or ErrorMessage))
                    throw new LanScatterException("Unauthorized", message is WelcomeMessage
                        ? $"the master at {MasterName} runs without a swarm secret and this peer has one: it will not follow a master that cannot prove the secret (give the master the same secret, or run the peer without one)"
                        : $"the master at {MasterName} sent '{message.Type}' before proving the swarm secret; nothing was followed");
                switch (message)
                {
                    case ChallengeMessage challenge when nonce is not null && !channel.IsSealed:
                        await AnswerChallengeAsync(channel, nonce, challenge, cancellationToken).ConfigureAwait(false);
                        break;
                    case WelcomeMessage welcome:
                        await OnWelcomeAsync(channel, welcome, cancellationToken).ConfigureAwait(false);
                        reporter ??= ReportLoopAsync(channel, statusLoop.Token);
                        break;
                    case FetchMessage fetch:
                        StartFetch(channel, fetch);
                        break;
                    case AbortMessage abort:
                        if (_fetches.TryRemove(abort.TransferId, out var f)) f.Cancel();
                        break;
                    case ManifestDeltaMessage { FullManifestDigest: { } digest } delta:
                        await FollowAsync(channel, await FetchManifestAsync(digest, cancellationToken).ConfigureAwait(false), delta.Version, cancellationToken, change: true).ConfigureAwait(false);
                        break;
                    case ManifestDeltaMessage delta:
                        await FollowAsync(channel, ManifestDelta.Apply(_folder.Manifest, _manifestVersion, delta), delta.Version, cancellationToken, change: true).ConfigureAwait(false);
                        break;
                    case LimitsMessage limits:
                        FollowLimits(limits.UploadLimitMbit, limits.DownloadLimitMbit);
                        break;
                    case ErrorMessage { Fatal: true, Code: ErrorMessage.Unauthorized } error:
                        throw new LanScatterException("Unauthorized", $"the master at {MasterName} refused this peer: {error.Message}");
                    case ErrorMessage error:
                        if (error.Fatal) throw new LanScatterException("Refused", "the master refused this peer: " + error.Message);
                        Report(NodeEventLevel.Warning, "master: " + error.Message);
                        break;
                    default:
                        Report(NodeEventLevel.Warning, $"ignoring unexpected '{message.Type}' from the master");
                        break;
                }
            }
        }
        finally
        {
            statusLoop.Cancel();
            if (reporter is not null) try { await reporter.ConfigureAwait(false); } catch (OperationCanceledException) { }
            _channel = null;
        }
    }

    // Limits from the master; out of range (negative, NaN, huge) they are said and left as they are.
    private void FollowLimits(double? uploadMbit, double? downloadMbit)
    {
        if (BandwidthLimits.IsValid(uploadMbit) && BandwidthLimits.IsValid(downloadMbit)) SetLimits(uploadMbit, downloadMbit);
        else Report(NodeEventLevel.Warning, $"ignoring limits out of range from the master (upload {uploadMbit}, download {downloadMbit} Mbit/s; 0 to {BandwidthLimits.MaxMbit})");
    }

    private string MasterName => HostAddress.Format(_options.MasterHost, _options.MasterPort);

    // The master proved the secret (or is an impostor, or has another secret): answer with our proof and seal the session.
    private async Task AnswerChallengeAsync(ControlChannel channel, string nonce, ChallengeMessage challenge, CancellationToken cancellationToken)
    {
        var secret = _options.Secret!;
        if (!JoinExchange.IsNonce(challenge.Nonce) || !Mac.FixedTimeEquals(challenge.Proof, JoinExchange.MasterProof(secret, nonce, challenge.Nonce)))
        {
            await channel.SendAsync(new ErrorMessage { Code = ErrorMessage.Unauthorized, Message = "the master did not prove the swarm secret (the secrets differ)", Fatal = true }, cancellationToken).ConfigureAwait(false);
            throw new LanScatterException("Unauthorized", $"the swarm secret does not match the master's at {MasterName} (or that is not the swarm's master): give master and peers the same secret");
        }
        await channel.SendAsync(new AuthMessage { Proof = JoinExchange.PeerProof(secret, nonce, challenge.Nonce) }, cancellationToken).ConfigureAwait(false);
        var (send, receive) = JoinExchange.PeerSeals(secret, nonce, challenge.Nonce);
        channel.Seal(send, receive);
    }

    private async Task OnWelcomeAsync(ControlChannel channel, WelcomeMessage welcome, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _everJoined, true);
        FollowLimits(welcome.UploadLimitMbit, welcome.DownloadLimitMbit);
        if (welcome.Epoch == _epoch && welcome.ManifestVersion == _manifestVersion)
        {
            await SendFullHaveAsync(channel, cancellationToken).ConfigureAwait(false);
            CheckInSync();
            return;
        }
        if (_epoch is not null && welcome.Epoch != _epoch) Report(NodeEventLevel.Information, "the master restarted; checking the folder against its manifest");
        _epoch = welcome.Epoch;
        var manifest = welcome.ManifestDigest is { } digest
            ? await FetchManifestAsync(digest, cancellationToken).ConfigureAwait(false)
            : ManifestJson.Deserialize(welcome.Manifest);
        await FollowAsync(channel, manifest, welcome.ManifestVersion, cancellationToken).ConfigureAwait(false);
    }

    // A manifest sent by reference, in pieces over HTTP; kept only if it is the one the
    // (authenticated) message named. If the folder changed again meanwhile, joining again gets the
    // newest manifest.
    private async Task<FolderManifest> FetchManifestAsync(string digest, CancellationToken cancellationToken)
    {
        ManifestDownload.Fetched fetched;
        try
        {
            fetched = await ManifestDownload.GetAsync(_masterBase, _options.Secret, digest, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new IOException(ex.Message + "; joining again", ex);
        }
        Report(NodeEventLevel.Information, $"fetched the manifest over HTTP ({ChunkSizing.Format(fetched.Bytes)} in {fetched.Pieces} piece(s))");
        return fetched.Manifest;
    }

    // A join checks the whole folder; a change (a delta) may look only at the paths it touches.
    private async Task FollowAsync(ControlChannel channel, FolderManifest manifest, int version, CancellationToken cancellationToken, bool change = false)
    {
        SetState(NodeState.Syncing);
        await CancelFetchesAsync().ConfigureAwait(false);
        FolderCheck check;
        try
        {
            check = await _folder.ApplyAsync(manifest, cancellationToken, change).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder's own trouble (full, read-only, a name too long here): not a reason to reconnect.
            throw new LanScatterException(LocalDisk.ErrorId, $"'{_options.Path}' cannot be brought in line with the master: {ex.Message}", ex);
        }
        _manifestVersion = version;
        await SendFullHaveAsync(channel, cancellationToken).ConfigureAwait(false);
        var looked = check.Whole ? "" : $" (looked only at the {check.Paths} path(s) the change touches)";
        Report(NodeEventLevel.Information, $"following manifest version {version}: {manifest.Files.Count} files, {ChunkSizing.Format(manifest.TotalBytes)}{looked}");
        CheckInSync();
    }

    // Ids per 'have' message: about 3.4 MB of JSON, far below the message limit (lowered by tests).
    internal static int HavePartIds { get; set; } = 50_000;

    // What the hello says this peer holds: only a list that fits one part (a longer one comes with
    // the full 'have' after the welcome, which every join sends anyway, so it is not even made here).
    private List<string> HelloHave() =>
        _epoch is null || _folder.ChunkCounts().Held > HavePartIds ? new List<string>() : _folder.HaveIds().ToList();

    // Everything this peer holds and will not fetch, in parts of HavePartIds ids.
    private async Task SendFullHaveAsync(ControlChannel channel, CancellationToken cancellationToken)
    {
        var have = _folder.HaveIds();
        var skip = _folder.SkippedIds();
        int parts = Math.Max(1, (Math.Max(have.Count, skip.Count) + HavePartIds - 1) / HavePartIds);
        for (int p = 0; p < parts; p++)
        {
            await channel.SendAsync(new HaveMessage
            {
                Chunks = have.Skip(p * HavePartIds).Take(HavePartIds).ToList(),
                Skip = skip.Skip(p * HavePartIds).Take(HavePartIds).ToList(),
                Full = p == 0,
                More = p < parts - 1,
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}
