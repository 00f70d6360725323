using System.Net.WebSockets;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;
using LanScatter.Core.Throttling;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

// Downloads the master orders: each runs on its own, registered for relaying, reported when done; progress every second.
public sealed partial class PeerNode
{
    private void StartFetch(ControlChannel channel, FetchMessage fetch)
    {
        var url = ChunkId.IsValid(fetch.ChunkId) ? FetchUrl(fetch) : null;
        if (url is null)
        {
            // Only a master could send it (with a secret, only the swarm's): said, refused, nothing fetched.
            Report(NodeEventLevel.Warning, $"ignoring an order that is not valid: chunk '{Short(fetch.ChunkId)}' from '{Short(fetch.Url)}'");
            _ = SendQuietlyAsync(channel, new TransferMessage { TransferId = fetch.TransferId, Done = true, Ok = false, Error = "not a valid order" });
            return;
        }
        if (fetch.More is { Count: > 0 })
        {
            StartBundle(channel, fetch, url);
            return;
        }
        var active = new ActiveFetch(_stop.Token, DateTime.UtcNow) { ReportAs = fetch.TransferId };
        if (!_fetches.TryAdd(fetch.TransferId, active))
        {
            active.Dispose();
            return;
        }
        // A new manifest waits for running fetches: one still writing must not land in a rebuilt file.
        _fetchRuns.Track(Task.Run(() => FetchAsync(channel, fetch, url, active)));
    }

    // Where a chunk comes from: a path on the master ("/chunks/ID") or a peer's http URL of that chunk; null for anything else.
    private Uri? FetchUrl(FetchMessage fetch)
    {
        var path = ChunkResponder.Prefix + fetch.ChunkId;
        if (fetch.Url == path) return new Uri(_masterBase, path);
        return Uri.TryCreate(fetch.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.AbsolutePath == path && url.Query.Length == 0 ? url : null;
    }

    private static string Short(string? text) => text is null ? "" : text.Length <= 80 ? text : text.Substring(0, 80) + "...";

    private async Task SendQuietlyAsync(ControlChannel channel, Message message)
    {
        try
        {
            await channel.SendAsync(message, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone; the master forgets the transfer on its side.
        }
    }

    private async Task FetchAsync(ControlChannel channel, FetchMessage fetch, Uri url, ActiveFetch active)
    {
        FetchOutcome outcome;
        LanScatterException? diskFailure = null;
        bool fromMaster = fetch.Url.StartsWith("/", StringComparison.Ordinal);
        try
        {
            var target = await TargetForAsync(fetch.ChunkId, DateTime.UtcNow + PlaceWait, active.Token).ConfigureAwait(false);
            if (target is null)
            {
                outcome = new FetchOutcome(_folder.Has(fetch.ChunkId), 0, 0, "this chunk is not needed", false);
            }
            else
            {
                outcome = await FetchIntoAsync(channel, fetch, url, active, target.Value, fromMaster).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            var failed = Failed(ex, $"fetch of {Short(fetch.ChunkId)}");
            if (failed is null)
            {
                _fetches.TryRemove(fetch.TransferId, out _);
                return; // aborted by the master, or stopping: nothing to report
            }
            (outcome, diskFailure) = failed.Value;
        }
        finally
        {
            active.Dispose();
        }
        _fetches.TryRemove(fetch.TransferId, out _);
        await ReportEndAsync(channel, fetch.TransferId, fetch.ChunkId, outcome, fetch.Url).ConfigureAwait(false);
        if (diskFailure is not null) FailOnDisk(diskFailure);
        else CheckInSync();
    }

    // A place can still be held by a fetch of the same chunk that was just aborted (its source left,
    // and the master ordered the chunk again at once): it is free within moments, so the new order
    // waits for it briefly instead of failing as "not needed" and being planned once more.
    private async Task<ChunkTarget?> TargetForAsync(string id, DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var target = _folder.TargetFor(id);
            if (target is not null || !_folder.IsBeingWritten(id) || DateTime.UtcNow >= deadline) return target;
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan PlaceWait = TimeSpan.FromSeconds(1);

    // How a fetch that threw ended, for the master: the peer's own disk, or a bug. Whatever happens,
    // the master hears that the transfer ended (it would wait for it otherwise). Null when the fetch
    // was cancelled (aborted by the master, or stopping): nothing to report.
    private (FetchOutcome Outcome, LanScatterException? DiskFailure)? Failed(Exception ex, string what)
    {
        switch (ex)
        {
            case OperationCanceledException:
                return null;
            case LanScatterException disk when disk.ErrorId == LocalDisk.ErrorId:
                return (new FetchOutcome(false, 0, 0, disk.Message, false), disk);
            case IOException or UnauthorizedAccessException or LanScatterException:
                return (new FetchOutcome(false, 0, 0, "local disk: " + ex.Message, false), null);
            default:
                Report(NodeEventLevel.Warning, $"{what} failed unexpectedly: {ex}");
                return (new FetchOutcome(false, 0, 0, $"unexpected {ex.GetType().Name}: {ex.Message}", false), null);
        }
    }

    // Tells the master how a transfer ended, and counts a failure.
    private async Task ReportEndAsync(ControlChannel channel, long transferId, string chunkId, FetchOutcome outcome, string from)
    {
        if (!outcome.Ok)
        {
            Interlocked.Increment(ref _transfersFailed);
            if (outcome.IsHashMismatch) Interlocked.Increment(ref _hashMismatches);
            Report(NodeEventLevel.Verbose, $"fetch of {chunkId.Substring(0, 12)} from {from} failed: {outcome.Error}");
        }
        await SendQuietlyAsync(channel, new TransferMessage
        {
            TransferId = transferId, Done = true, Ok = outcome.Ok, Bytes = outcome.Bytes, Seconds = outcome.Seconds,
            Error = outcome.Error, SourceAtFault = outcome.SourceAtFault, HashMismatch = outcome.IsHashMismatch,
        }).ConfigureAwait(false);
    }

    // This peer cannot store what it fetches: fetching on would only fail again. The node ends with the reason.
    private void FailOnDisk(LanScatterException diskFailure) =>
        Fail(_folder.PartialFolderExists ? diskFailure
            : new LanScatterException("StateFolderRemoved", $"'{StateFolder.Name}' was removed from '{_options.Path}' while the peer ran (it holds the files being built); start the peer again to go on", diskFailure));

    // The download into its reserved place, then the commit (or the place's release when it fails).
    private async Task<FetchOutcome> FetchIntoAsync(ControlChannel channel, FetchMessage fetch, Uri url, ActiveFetch active, ChunkTarget target, bool fromMaster)
    {
        // Other peers may be told to fetch this chunk from us while it arrives.
        var arriving = _arriving.Begin(fetch.ChunkId, target);
        bool committed = false;
        try
        {
            var outcome = await _fetcher.FetchAsync(url, fetch.ChunkId, target, n =>
            {
                active.AddBytes(n);
                _received.Add(n);
                arriving.Advance(n);
                if (active.ComesToEnd(target.Length, _options.EndingLead, DateTime.UtcNow)) AnnounceEnding(channel, fetch.TransferId, active.Bytes);
            }, active.Token).ConfigureAwait(false);
            if (!outcome.Ok) return outcome;
            // Counted before the commit: the commit that completes the folder must see every byte that got it there.
            Interlocked.Add(ref fromMaster ? ref _fromMaster : ref _fromPeers, outcome.Bytes);
            // Not cancelled by an abort: the verified bytes are in, and the copies to the chunk's other places must all happen.
            committed = await _folder.CommitAsync(fetch.ChunkId, target, _stop.Token).ConfigureAwait(false);
            return committed ? outcome : outcome with { Ok = false, Error = "the chunk changed on local disk after it was verified", SourceAtFault = false };
        }
        finally
        {
            _arriving.End(fetch.ChunkId, arriving, committed);
            if (!committed) await _folder.ReleaseAsync(fetch.ChunkId, target, _stop.Token).ConfigureAwait(false);
        }
    }

    // Fire and forget: the fetch goes on; a lost message only costs the gap it would have saved.
    private void AnnounceEnding(ControlChannel channel, long transferId, long bytes) =>
        _ = Task.Run(() => SendQuietlyAsync(channel, new TransferMessage { TransferId = transferId, Done = false, Ending = true, Bytes = bytes }));

    private async Task ReportLoopAsync(ControlChannel channel, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var pair in _fetches.Where(f => f.Key == f.Value.ReportAs))
                    await channel.SendAsync(new TransferMessage { TransferId = pair.Key, Done = false, Bytes = pair.Value.Bytes }, cancellationToken).ConfigureAwait(false);
                var (done, total) = _folder.Progress();
                (_chunksHeld, _chunksTotal) = _folder.ChunkCounts();
                await channel.SendAsync(new StatusMessage
                {
                    BytesDone = done, BytesTotal = total, InSync = _folder.InSync,
                    DownloadBytesPerSecond = _received.BytesPerSecond, UploadBytesPerSecond = _sent.BytesPerSecond,
                    UploadLimitMbit = TokenBucket.ToMbit(_upload.BytesPerSecond), DownloadLimitMbit = TokenBucket.ToMbit(_download.BytesPerSecond),
                    BytesFromPeers = Interlocked.Read(ref _fromPeers), BytesFromMaster = Interlocked.Read(ref _fromMaster), LastError = _lastError,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                return;
            }
            Publish();
        }
    }

    private void CancelFetches()
    {
        foreach (var key in _fetches.Keys.ToList())
        {
            if (_fetches.TryRemove(key, out var f)) f.Cancel();
        }
    }

    // Cancels the running fetches and waits until none is writing or committing any more. Bounded:
    // a fetch that does not end after being cancelled is a bug, and must not also hang the node.
    private async Task CancelFetchesAsync()
    {
        CancelFetches();
        int stuck = await _fetchRuns.WhenEndedAsync(FetchEndWait).ConfigureAwait(false);
        if (stuck > 0) Report(NodeEventLevel.Warning, $"{stuck} download(s) did not end within {FetchEndWait.TotalSeconds:F0} s of being cancelled; going on without them");
    }

    private static readonly TimeSpan FetchEndWait = TimeSpan.FromSeconds(10);
}
