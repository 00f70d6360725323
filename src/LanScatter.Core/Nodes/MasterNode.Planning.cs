using LanScatter.Core.Planning;
using LanScatter.Core.Protocol;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

// Driving the swarm planner: every event re-plans; orders become fetch messages, aborts become abort messages.
public sealed partial class MasterNode
{
    private readonly Dictionary<long, PeerSession> _transferTargets = new();
    private SwarmPlanner _planner = null!;
    private int _masterNode;

    /// <summary>Relays the planner has started under the current manifest (tests and diagnostics).</summary>
    internal long RelaysStarted => Volatile.Read(ref _planner).RelaysStarted;

    /// <summary>Bundles of small files the planner has started under the current manifest (tests and diagnostics).</summary>
    internal long BundlesStarted => Volatile.Read(ref _planner).BundlesStarted;

    private void ResetPlanner()
    {
        var catalog = Current.Catalog;
        _planner = catalog.Sizes.Count == 0 ? new SwarmPlanner(new long[] { 1 }, _options.Planner) : new SwarmPlanner(catalog.Sizes, _options.Planner, catalog.WholeFiles);
        _masterNode = _planner.AddNode(true, _options.MaxUploads, 0, Enumerable.Range(0, catalog.Count));
    }

    private void Replan()
    {
        var plan = _planner.Plan(_clock.Elapsed);
        _plannerPasses++;
        foreach (var abort in plan.Abort) AbortTransfer(abort.Transfer);
        var snapshot = Current;
        // Sent once the plan is read: a bundle's message is complete only after its last order.
        var fetches = new List<(PeerSession Target, FetchMessage Fetch)>();
        FetchMessage? bundle = null;
        foreach (var order in plan.Start)
        {
            if (!_byNode.TryGetValue(order.Target, out var target)) continue;
            var id = snapshot.Catalog.Ids[order.Chunk];
            // The orders of a bundle come one after the other, its first one first: one message carries them.
            if (order.Bundle != 0 && order.Bundle != order.Id)
            {
                if (bundle is null || bundle.TransferId != order.Bundle) continue;
                _transferTargets[order.Id] = target;
                (bundle.More ??= new List<BundledChunk>()).Add(new BundledChunk { TransferId = order.Id, ChunkId = id });
                continue;
            }
            string url = order.Source == _masterNode ? ChunkResponder.Prefix + id
                : _byNode.TryGetValue(order.Source, out var source) ? source.BaseUrl + ChunkResponder.Prefix + id : "";
            if (url.Length == 0) continue;
            _transferTargets[order.Id] = target;
            var fetch = new FetchMessage { TransferId = order.Id, ChunkId = id, Url = url };
            bundle = order.Bundle == order.Id ? fetch : null;
            fetches.Add((target, fetch));
        }
        foreach (var (target, fetch) in fetches) target.Send(fetch);
    }

    private void AbortTransfer(TransferOrder order)
    {
        if (_transferTargets.TryGetValue(order.Id, out var target))
        {
            _transferTargets.Remove(order.Id);
            target.Send(new AbortMessage { TransferId = order.Id });
        }
    }

    private async Task TickAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await Task.Delay(500, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            _loop.Post(() => { Replan(); Publish(); });
        }
    }

}
