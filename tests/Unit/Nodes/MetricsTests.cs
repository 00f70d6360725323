using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LanScatter.Core.Security;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary><c>/metrics</c> on master and peer, read by a strict parser of the Prometheus text format (0.0.4).</summary>
public class MetricsTests
{
    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private static readonly Regex NamePattern = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    private static readonly Regex SamplePattern = new("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$");
    private static readonly Regex LabelPattern = new("\\G([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    // Every line a HELP, a TYPE or a sample; each family typed once, before its samples; counters end in _total; no duplicate series.
    private static List<Sample> ParseStrictly(string text)
    {
        Assert.EndsWith("\n", text);
        var types = new Dictionary<string, string>();
        var samples = new List<Sample>();
        var series = new HashSet<string>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var name = line.Substring(7).Split(' ')[0];
                Assert.Matches(NamePattern, name);
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Substring(7).Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.Matches(NamePattern, parts[0]);
                Assert.Contains(parts[1], new[] { "counter", "gauge" });
                Assert.True(types.TryAdd(parts[0], parts[1]), $"{parts[0]} typed twice");
                if (parts[1] == "counter") Assert.EndsWith("_total", parts[0]);
                continue;
            }
            var m = SamplePattern.Match(line);
            Assert.True(m.Success, $"not a sample line: '{line}'");
            var labels = new Dictionary<string, string>();
            if (m.Groups[3].Success && m.Groups[3].Value.Length > 0)
            {
                int at = 0;
                var body = m.Groups[3].Value;
                while (at < body.Length)
                {
                    var l = LabelPattern.Match(body, at);
                    Assert.True(l.Success && l.Index == at, $"bad labels in '{line}'");
                    labels.Add(l.Groups[1].Value, l.Groups[2].Value);
                    at = l.Index + l.Length;
                }
            }
            Assert.True(types.ContainsKey(m.Groups[1].Value), $"{m.Groups[1].Value} has samples before its TYPE line");
            Assert.True(double.TryParse(m.Groups[4].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value), $"not a number: {line}");
            Assert.True(series.Add(m.Groups[1].Value + "{" + string.Join(",", labels.OrderBy(k => k.Key).Select(k => k.Key + "=" + k.Value)) + "}"), $"duplicate series: {line}");
            samples.Add(new Sample(m.Groups[1].Value, labels, value));
        }
        return samples;
    }

    [Fact]
    public async Task Master_and_peer_serve_their_figures_and_the_masters_view_of_each_peer_with_node_labels()
    {
        var secret = SwarmSecret.FromText("metrics test secret", "test");
        await using var swarm = new TestSwarm(256 * 1024, secret: secret);
        swarm.MasterFolder.Write("a.bin", TestData.Random(3 << 20, 3));
        swarm.MasterFolder.Write("b.txt", "b");
        var master = await swarm.StartMasterAsync();
        var peer = await swarm.StartPeerAsync(swarm.NewFolder().Path, "peer \"one\"");
        await swarm.InSync(60, peer);
        // The peer reports once a second: wait for the report that has every byte.
        await Timeouts.Until(() => master.Status.Peers.Any(p => p.BytesFromMaster + p.BytesFromPeers == (3 << 20) + 1 && p.ChunksHeld == master.Status.ChunksTotal), 20, "the peer's last report at the master");

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", secret.ReadToken);
        using var response = await http.GetAsync($"http://127.0.0.1:{master.Port}/metrics").Within(10);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString().Replace("\"", ""));
        var samples = ParseStrictly(await response.Content.ReadAsStringAsync());

        double Of(string name, string node) => samples.Single(s => s.Name == name && s.Labels["node"] == node).Value;
        var masterName = master.Status.Name;
        Assert.Equal(master.Status.ChunksTotal, Of("lanscatter_chunks_held", masterName));
        Assert.Equal(1, Of("lanscatter_peers_connected", masterName));
        Assert.Equal(1, Of("lanscatter_manifest_version", masterName));
        Assert.True(Of("lanscatter_bytes_sent_total", masterName) > 0);
        Assert.True(Of("lanscatter_planner_passes_total", masterName) > 0);
        // The peer as the master sees it; its name's quotes escaped in the label.
        Assert.Equal(master.Status.ChunksTotal, Of("lanscatter_chunks_held", "peer \\\"one\\\""));
        Assert.Equal(3 * (1 << 20) + 1, Of("lanscatter_bytes_received_total", "peer \\\"one\\\""));
        Assert.Equal(0, Of("lanscatter_transfers_failed_total", "peer \\\"one\\\""));
        Assert.All(samples, s => Assert.StartsWith("lanscatter_", s.Name));

        // The peer's own /metrics, and none without the read token.
        using var own = await http.GetAsync($"http://127.0.0.1:{peer.Port}/metrics").Within(10);
        var peerSamples = ParseStrictly(await own.Content.ReadAsStringAsync());
        Assert.Equal(3 * (1 << 20) + 1, peerSamples.Single(s => s.Name == "lanscatter_bytes_received_total").Value);
        Assert.Equal(master.Status.ChunksTotal, peerSamples.Single(s => s.Name == "lanscatter_chunks_held").Value);
        using var stranger = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync($"http://127.0.0.1:{master.Port}/metrics")).StatusCode);
    }
}
