using System.Net.Http.Headers;
using System.Text;
using LanScatter.Core.Nodes;
using LanScatter.Core.Security;
using LanScatter.Tests.Support;
using LanScatter.Tests.Support.Fuzz;
using Xunit.Abstractions;

namespace LanScatter.Tests.Security;

/// <summary>
/// Hostile input, counted: random and mutated control messages, HTTP requests and manifests against
/// a live master and live peers. Nothing may crash, leak the swarm's data or write outside the
/// peers' folders. LANSCATTER_FUZZ_SCALE multiplies the counts (1 = the CI run, ~100,000 inputs).
/// </summary>
[Collection(SerialCollection.Name)]
public class HostileInputFuzzTests
{
    private readonly ITestOutputHelper _output;

    public HostileInputFuzzTests(ITestOutputHelper output) => _output = output;

    private static int Scaled(int count) =>
        (int)Math.Max(1, count * (double.TryParse(Environment.GetEnvironmentVariable("LANSCATTER_FUZZ_SCALE"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1));

    [Fact]
    public async Task Hostile_messages_requests_and_manifests_crash_nothing_leak_nothing_and_write_nothing_outside_the_folders()
    {
        // LANSCATTER_FUZZ_SEED replays a run whose failure printed its seed.
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LANSCATTER_FUZZ_SEED"), out var replay) ? replay : Environment.TickCount;
        _output.WriteLine($"seed {seed}");
        var unobserved = new List<string>();
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, e) =>
        {
            var text = e.Exception.ToString();
            if (text.Contains("LanScatter.Core", StringComparison.Ordinal)) lock (unobserved) unobserved.Add(text);
        };
        TaskScheduler.UnobservedTaskException += onUnobserved;

        using var sandbox = new TempFolder();
        var sentinel = sandbox.Write("sentinel.txt", "outside every folder");
        var secret = SwarmSecret.FromText("the fuzzed swarm's secret", "test");
        var masterDir = sandbox.Combine("master");
        Directory.CreateDirectory(masterDir);
        File.WriteAllText(Path.Combine(masterDir, "confidential.txt"), "TOP-SECRET-CONTENT of the fuzzed swarm");
        File.WriteAllBytes(Path.Combine(masterDir, "data.bin"), TestData.Random(6 * 65536, 9));
        var digestBefore = FolderAssert.Digest(masterDir);

        await using var master = new MasterNode(new MasterOptions { Path = masterDir, Port = 0, Bind = "127.0.0.1", ChunkSize = 65536, Secret = secret, Name = "master" });
        await master.StartServingAsync().Within(60);
        await using var member = await PeerNode.StartAsync(new PeerOptions
        {
            Path = sandbox.Combine("member"), MasterHost = "127.0.0.1", MasterPort = master.Port, Port = 0, Bind = "127.0.0.1", Advertise = "127.0.0.1",
            Name = "member", Secret = secret,
        }).Within(30);
        await member.WhenInSync.Within(60);
        var ids = master.Manifest.Files.SelectMany(f => f.Chunks).Select(c => c.Id).Distinct().ToList();
        await using var insiderStatus = PlayedNodes.StatusEndpoint("insider");

        var join = new FuzzCounts("control: first messages");
        var session = new FuzzCounts("control: joined session");
        var http = new FuzzCounts("http: master and peer");
        var peer = new FuzzCounts("control: master -> peer");
        var manifests = new FuzzCounts("manifests: parse + apply");
        var forbidden = new List<string> { "confidential", "TOP-SECRET", "data.bin" };
        forbidden.AddRange(ids);

        await using var peerFuzz = new PeerFuzz(sandbox.Combine("fuzzed-peer"), new Dictionary<string, byte[]>
        {
            ["a.txt"] = Encoding.UTF8.GetBytes("peer fuzz a"), ["dir/b.bin"] = TestData.Random(3 * 4096, 5),
        }, 4096);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Two at a time: the machine has two cores, and each side (fuzzer, node) needs one.
        async Task Timed(string what, Func<Task> run)
        {
            var w = System.Diagnostics.Stopwatch.StartNew();
            await run();
            lock (_output) _output.WriteLine($"{what}: {w.Elapsed.TotalSeconds:F1} s");
        }
        await Task.WhenAll(
            Timed("session", () => MasterFuzz.SessionAsync(master.Port, insiderStatus.Port, "insider", secret, ids, Scaled(60_000), seed, session)),
            Timed("http", () => HttpFuzz.RunAsync(new[] { master.Port, member.Port }, ids, secret.ReadToken, forbidden, Scaled(20_000), seed + 1, http)));
        await Task.WhenAll(
            Timed("join", () => MasterFuzz.JoinAsync(master.Port, insiderStatus.Port, Scaled(5_000), seed + 2, join)),
            Timed("peer", () => peerFuzz.RunAsync(Scaled(3_000), seed + 3, peer)),
            Timed("manifests", () => ManifestFuzz.RunAsync(sandbox.Combine("manifest-peer"), peerFuzz.Manifest, Scaled(15_000), seed + 4, manifests)));
        watch.Stop();

        var all = new[] { join, session, http, peer, manifests };
        foreach (var c in all) _output.WriteLine(c.ToString());
        long tried = all.Sum(c => c.Tried);
        _output.WriteLine($"total tried {tried} in {watch.Elapsed.TotalSeconds:F0} s; unobserved task exceptions from LanScatter: {unobserved.Count}");
        lock (unobserved) foreach (var u in unobserved.Take(3)) _output.WriteLine(u);
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "fuzz-counts.txt"), all.Select(c => c.ToString()).Append($"total {tried} in {watch.Elapsed.TotalSeconds:F0} s, seed {seed}"));

        Assert.True(all.All(c => c.Crashed == 0), $"seed {seed}:\n" + string.Join("\n", all.Where(c => c.Crashed > 0).Select(c => $"{c.Name}: {c.Crashed} crashed:\n  " + string.Join("\n  ", c.Failures))));
        Assert.True(tried >= Scaled(100_000), $"only {tried} inputs");
        lock (unobserved) Assert.True(unobserved.Count == 0, string.Join("\n\n", unobserved.Take(3)));

        // Still serving, nothing of the master's changed, nothing written outside the folders.
        Assert.False(master.Completion.IsCompleted, "the master stopped");
        using (var client = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/swarm") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", secret.ReadToken) } })
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.SendAsync(request).Within(10)).StatusCode);
        Assert.Equal(digestBefore, FolderAssert.Digest(masterDir));
        FolderAssert.Identical(masterDir, sandbox.Combine("member"));
        Assert.Equal("outside every folder", File.ReadAllText(sentinel));
        Assert.Equal(new[] { "fuzzed-peer", "manifest-peer", "master", "member", "sentinel.txt" },
            Directory.GetFileSystemEntries(sandbox.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        TaskScheduler.UnobservedTaskException -= onUnobserved;
    }
}
