using System.Diagnostics.Metrics;
using LanScatter.Core.Nodes;

namespace LanScatter.Core.Metrics;

/// <summary>
/// A node's figures as System.Diagnostics.Metrics instruments (meter "LanScatter"), so that
/// dotnet-counters and OpenTelemetry collectors see what <c>/metrics</c> serves. Every instrument
/// is observable: it reads the node's published status when collected, and costs nothing between
/// collections. A master reports its peers too, as it sees them, each under its own node label
/// (and its endpoint, since two peers may share a name).
/// </summary>
internal sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "LanScatter";

    private readonly Func<NodeStatus> _status;

    public NodeMetrics(Func<NodeStatus> status)
    {
        _status = status;
        Meter = new Meter(MeterName, typeof(NodeMetrics).Assembly.GetName().Version?.ToString());
        Counter("lanscatter_bytes_sent", "By", "Chunk bytes this node has sent", s => Own(s, s.BytesSent));
        Counter("lanscatter_bytes_received", "By", "Chunk bytes a node has received (a peer: from peers and the master)", s => Own(s, s.BytesReceived).Concat(Peers(s, p => p.BytesFromPeers + p.BytesFromMaster)));
        Counter("lanscatter_bytes_from_peers", "By", "Chunk bytes a peer has received from other peers", s => s.Role == "peer" ? Own(s, s.BytesFromPeers) : Peers(s, p => p.BytesFromPeers));
        Counter("lanscatter_transfers_failed", "{transfer}", "Chunk transfers to a node that failed", s => Own(s, s.TransfersFailed).Concat(Peers(s, p => p.TransfersFailed)));
        Counter("lanscatter_hash_mismatches", "{transfer}", "Chunk transfers whose bytes did not match the chunk id", s => Own(s, s.HashMismatches).Concat(Peers(s, p => p.HashMismatches)));
        Counter("lanscatter_planner_passes", "{pass}", "Passes of the master's transfer planner", s => s.Role == "master" ? Own(s, s.PlannerPasses) : Enumerable.Empty<Measurement<long>>());
        Gauge("lanscatter_chunks_held", "{chunk}", "Distinct chunks a node holds", s => Own(s, s.ChunksHeld).Concat(Peers(s, p => p.ChunksHeld)));
        Gauge("lanscatter_chunks_total", "{chunk}", "Distinct chunks in the manifest", s => Own(s, s.ChunksTotal));
        Gauge("lanscatter_bytes_done", "By", "Bytes of the folder a node holds", s => Own(s, s.BytesDone).Concat(Peers(s, p => p.BytesDone)));
        Gauge("lanscatter_bytes_total", "By", "Bytes of the folder", s => Own(s, s.BytesTotal).Concat(Peers(s, p => p.BytesTotal)));
        Gauge("lanscatter_transfers_active", "{transfer}", "Chunk transfers running to a node (the master: in the whole swarm)", s => Own(s, s.ActiveTransfers).Concat(Peers(s, p => p.ActiveTransfers)));
        Gauge("lanscatter_peers_connected", "{peer}", "Peers joined to the master", s => s.Role == "master" ? Own(s, s.Peers.Count) : Enumerable.Empty<Measurement<long>>());
        Gauge("lanscatter_manifest_version", "{version}", "Version of the manifest the node follows", s => Own(s, s.ManifestVersion));
    }

    public Meter Meter { get; }

    private void Counter(string name, string unit, string description, Func<NodeStatus, IEnumerable<Measurement<long>>> read) =>
        Meter.CreateObservableCounter(name, () => read(_status()), unit, description);

    private void Gauge(string name, string unit, string description, Func<NodeStatus, IEnumerable<Measurement<long>>> read) =>
        Meter.CreateObservableGauge(name, () => read(_status()), unit, description);

    private static IEnumerable<Measurement<long>> Own(NodeStatus s, long value) =>
        new[] { new Measurement<long>(value, new KeyValuePair<string, object?>("node", s.Name), new KeyValuePair<string, object?>("role", s.Role)) };

    private static IEnumerable<Measurement<long>> Peers(NodeStatus s, Func<PeerStatus, long> value) =>
        s.Peers.Select(p => new Measurement<long>(value(p), new KeyValuePair<string, object?>("node", p.Name), new KeyValuePair<string, object?>("role", "peer"),
            new KeyValuePair<string, object?>("endpoint", p.Address + ":" + p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public void Dispose() => Meter.Dispose();
}
