using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;
using LanScatter.Core.Storage;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

// Bundles: one order, one request, many small chunks, each its own transfer for the master.
public sealed partial class PeerNode
{
    /// <summary>Most chunks one bundle order may name (the master sends at most PlannerOptions.BundleMaxChunks).</summary>
    private const int MaxBundleChunks = 1024;

    private void StartBundle(ControlChannel channel, FetchMessage fetch, Uri headUrl)
    {
        var items = new List<BundledChunk> { new() { TransferId = fetch.TransferId, ChunkId = fetch.ChunkId } };
        items.AddRange(fetch.More!);
        if (items.Count > MaxBundleChunks || items.Any(i => i is null || !ChunkId.IsValid(i.ChunkId)) || items.Select(i => i.TransferId).Distinct().Count() != items.Count)
        {
            Report(NodeEventLevel.Warning, $"ignoring a bundle order that is not valid: {items.Count} chunk(s) from '{Short(fetch.Url)}'");
            foreach (var item in items.Where(i => i is not null))
                _ = SendQuietlyAsync(channel, new TransferMessage { TransferId = item.TransferId, Done = true, Ok = false, Error = "not a valid order" });
            return;
        }
        var active = new ActiveFetch(_stop.Token, DateTime.UtcNow) { ReportAs = fetch.TransferId };
        // A transfer id already running here (a repeated order) is left to its own fetch.
        items = items.Where(i => _fetches.TryAdd(i.TransferId, active)).ToList();
        if (items.Count == 0)
        {
            active.Dispose();
            return;
        }
        active.ReportAs = items[0].TransferId;
        bool fromMaster = fetch.Url.StartsWith("/", StringComparison.Ordinal);
        _fetchRuns.Track(Task.Run(() => FetchBundleAsync(channel, items, headUrl, fromMaster, active)));
    }

    private async Task FetchBundleAsync(ControlChannel channel, List<BundledChunk> items, Uri headUrl, bool fromMaster, ActiveFetch active)
    {
        var outcomes = new FetchOutcome?[items.Count];
        var parts = new List<(int Item, ChunkTarget Target, ArrivingChunk Arriving)>();
        var committed = new bool[items.Count];
        LanScatterException? diskFailure = null;
        double seconds = 0;
        try
        {
            var placeDeadline = DateTime.UtcNow + PlaceWait;
            for (int i = 0; i < items.Count; i++)
            {
                var target = await TargetForAsync(items[i].ChunkId, placeDeadline, active.Token).ConfigureAwait(false);
                if (target is null) outcomes[i] = new FetchOutcome(_folder.Has(items[i].ChunkId), 0, 0, "this chunk is not needed", false);
                else parts.Add((i, target.Value, _arriving.Begin(items[i].ChunkId, target.Value)));
            }
            if (parts.Count > 0)
            {
                var url = new Uri(headUrl, BundleResponder.PathOf(parts.Select(p => items[p.Item].ChunkId)));
                long total = parts.Sum(p => (long)p.Target.Length);
                var result = await _fetcher.FetchBundleAsync(url, parts.Select(p => new BundlePart(items[p.Item].ChunkId, p.Target)).ToList(), (k, n) =>
                {
                    active.AddBytes(n);
                    _received.Add(n);
                    parts[k].Arriving.Advance(n);
                    if (active.ComesToEnd(total, _options.EndingLead, DateTime.UtcNow)) AnnounceEnding(channel, active.ReportAs, active.Bytes);
                }, active.Token).ConfigureAwait(false);
                seconds = result.Seconds;
                for (int k = 0; k < parts.Count; k++)
                {
                    var (item, target, _) = parts[k];
                    if (!result.Verified(k))
                    {
                        outcomes[item] = new FetchOutcome(false, 0, result.Seconds, result.Errors[k], result.SourceAtFault || result.Errors[k] == ChunkFetcher.HashMismatch);
                        continue;
                    }
                    Interlocked.Add(ref fromMaster ? ref _fromMaster : ref _fromPeers, target.Length);
                    committed[item] = await _folder.CommitAsync(items[item].ChunkId, target, _stop.Token, finish: false).ConfigureAwait(false);
                    outcomes[item] = committed[item] ? new FetchOutcome(true, target.Length, result.Seconds, null, false)
                        : new FetchOutcome(false, 0, result.Seconds, "the chunk changed on local disk after it was verified", false);
                }
                // The bundle's files that are now whole take their final names together (one flush to disk).
                _folder.FinishReady();
                _folder.SaveState(force: false);
            }
        }
        catch (Exception ex)
        {
            var failed = Failed(ex, $"bundle fetch of {items.Count} chunk(s)");
            if (failed is null) outcomes = null; // nothing to report
            else
            {
                diskFailure = failed.Value.DiskFailure;
                for (int i = 0; i < outcomes.Length; i++) outcomes[i] ??= failed.Value.Outcome;
            }
        }
        finally
        {
            foreach (var (item, target, arriving) in parts)
            {
                _arriving.End(items[item].ChunkId, arriving, committed[item]);
                if (!committed[item]) await ReleaseQuietlyAsync(items[item].ChunkId, target).ConfigureAwait(false);
            }
            foreach (var item in items) _fetches.TryRemove(item.TransferId, out _);
            active.Dispose();
        }
        if (outcomes is null) return;
        await ReportBundleAsync(channel, items, outcomes!, seconds, headUrl).ConfigureAwait(false);
        if (diskFailure is not null) FailOnDisk(diskFailure);
        else CheckInSync();
    }

    // Releasing a place never fails the bundle's report: the master must hear how its transfers ended.
    private async Task ReleaseQuietlyAsync(string id, ChunkTarget target)
    {
        try
        {
            await _folder.ReleaseAsync(id, target, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LanScatterException or OperationCanceledException)
        {
            Report(NodeEventLevel.Verbose, $"could not free the place of chunk {Short(id)}: {ex.Message}");
        }
    }

    // One message for every transfer that succeeded (one rate sample: the bundle's bytes over its
    // time), one for each that failed.
    private async Task ReportBundleAsync(ControlChannel channel, List<BundledChunk> items, FetchOutcome?[] outcomes, double seconds, Uri from)
    {
        var ok = Enumerable.Range(0, items.Count).Where(i => outcomes[i]!.Ok).ToList();
        if (ok.Count > 0)
        {
            await SendQuietlyAsync(channel, new TransferMessage
            {
                TransferId = items[ok[0]].TransferId, Done = true, Ok = true, Bytes = ok.Sum(i => outcomes[i]!.Bytes), Seconds = seconds,
                Also = ok.Skip(1).Select(i => items[i].TransferId).ToList(),
            }).ConfigureAwait(false);
        }
        foreach (int i in Enumerable.Range(0, items.Count).Where(i => !outcomes[i]!.Ok))
            await ReportEndAsync(channel, items[i].TransferId, items[i].ChunkId, outcomes[i]!, "a bundle from " + from.GetLeftPart(UriPartial.Authority)).ConfigureAwait(false);
    }
}
