using LanScatter.Core.Nodes;

namespace LanScatter.Tests.Support;

/// <summary>Real master and peer nodes on 127.0.0.1 with ports chosen by the OS; disposed at the end of a test.</summary>
internal sealed class TestSwarm : IAsyncDisposable
{
    private readonly List<TempFolder> _folders = new();
    private readonly List<PeerNode> _peers = new();

    public TestSwarm(long chunkSize = 64 * 1024, double rateMbit = 0, LanScatter.Core.Security.SwarmSecret? secret = null)
    {
        Secret = secret;
        ChunkSize = chunkSize;
        RateMbit = rateMbit;
        MasterFolder = NewFolder();
    }

    public long ChunkSize { get; }

    /// <summary>The swarm secret every node started here gets (null: an open swarm).</summary>
    public LanScatter.Core.Security.SwarmSecret? Secret { get; }

    /// <summary>Every node's upload and download limit (0 = unlimited), so peers must share as on a LAN.</summary>
    public double RateMbit { get; }
    public IReadOnlyList<PeerNode> Peers => _peers;

    /// <summary>A port free right now (for starting peers before their master).</summary>
    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
    public TempFolder MasterFolder { get; }
    public MasterNode? Master { get; private set; }
    public List<string> Log { get; } = new();

    public TempFolder NewFolder()
    {
        var f = new TempFolder();
        _folders.Add(f);
        return f;
    }

    public async Task<MasterNode> StartMasterAsync(int port = 0, string[]? exclude = null, LanScatter.Core.Planning.PlannerOptions? planner = null, int? partialRescanMinFiles = null,
        int? maxReportedPaths = null, TimeSpan? changeDebounce = null)
    {
        Master = new MasterNode(new MasterOptions
        {
            Path = MasterFolder.Path, Port = port, Bind = "127.0.0.1", ChunkSize = ChunkSize, UploadLimitMbit = RateMbit,
            ChangeDebounce = changeDebounce ?? TimeSpan.FromMilliseconds(300), Name = "master", Exclude = exclude ?? Array.Empty<string>(),
            Planner = planner ?? new LanScatter.Core.Planning.PlannerOptions(), Secret = Secret,
            PartialRescanMinFiles = partialRescanMinFiles ?? new MasterOptions().PartialRescanMinFiles,
            MaxReportedPaths = maxReportedPaths ?? new MasterOptions().MaxReportedPaths,
        });
        Master.Event += (_, e) => { lock (Log) Log.Add("master: " + e.Message); };
        await Master.StartServingAsync().Within(60);
        return Master;
    }

    public async Task<PeerNode> StartPeerAsync(string path, string name, int? masterPort = null, bool force = false, double? downloadMbit = null, string[]? exclude = null,
        int scopedChangeMinFiles = LanScatter.Core.Storage.PeerFolder.DefaultScopedChangeMinFiles)
    {
        var peer = await PeerNode.StartAsync(new PeerOptions
        {
            Path = path, MasterHost = "127.0.0.1", MasterPort = masterPort ?? Master!.Port, Port = 0, Bind = "127.0.0.1",
            Advertise = "127.0.0.1", Name = name, Force = force, MaxReconnectDelay = TimeSpan.FromSeconds(1),
            UploadLimitMbit = RateMbit, DownloadLimitMbit = downloadMbit ?? RateMbit, Exclude = exclude ?? Array.Empty<string>(),
            Secret = Secret, ScopedChangeMinFiles = scopedChangeMinFiles,
        }).Within(30);
        peer.Event += (_, e) => { lock (Log) Log.Add(name + ": " + e.Message); };
        _peers.Add(peer);
        return peer;
    }

    /// <summary>Waits until every given peer is in sync; on timeout the error carries the swarm's log and each peer's status.</summary>
    public async Task InSync(int seconds, params PeerNode[] peers)
    {
        try
        {
            await Task.WhenAll(peers.Select(p => p.WhenInSync)).Within(seconds);
        }
        catch (TimeoutException)
        {
            string log;
            lock (Log) log = string.Join("\n", Log.TakeLast(200));
            throw new TimeoutException($"peers not in sync within {seconds} s\n{log}\n{string.Join("\n", peers.Select(p => p.Status.ToString()))}\nmaster: {Master?.Status}");
        }
    }

    public async Task StopPeerAsync(PeerNode peer)
    {
        await peer.StopAsync().Within(30);
        _peers.Remove(peer);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _peers) await p.StopAsync().Within(30);
        if (Master is not null) await Master.StopAsync().Within(30);
        foreach (var f in _folders) f.Dispose();
    }
}
