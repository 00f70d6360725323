using LanScatter.Core.Nodes;

namespace LanScatter.Tests.Support;

/// <summary>Real master and peer nodes on 127.0.0.1 with ports chosen by the OS; disposed at the end of a test.</summary>
internal sealed class TestSwarm : IAsyncDisposable
{
    private readonly List<TempFolder> _folders = new();
    private readonly List<PeerNode> _peers = new();

    public TestSwarm(long chunkSize = 64 * 1024)
    {
        ChunkSize = chunkSize;
        MasterFolder = NewFolder();
    }

    public long ChunkSize { get; }
    public TempFolder MasterFolder { get; }
    public MasterNode? Master { get; private set; }
    public List<string> Log { get; } = new();

    public TempFolder NewFolder()
    {
        var f = new TempFolder();
        _folders.Add(f);
        return f;
    }

    public async Task<MasterNode> StartMasterAsync(int port = 0)
    {
        Master = await MasterNode.StartAsync(new MasterOptions
        {
            Path = MasterFolder.Path, Port = port, Bind = "127.0.0.1", ChunkSize = ChunkSize,
            ChangeDebounce = TimeSpan.FromMilliseconds(300), Name = "master",
        }).Within(60);
        Master.Event += (_, e) => { lock (Log) Log.Add("master: " + e.Message); };
        return Master;
    }

    public async Task<PeerNode> StartPeerAsync(string path, string name, int? masterPort = null, bool force = false)
    {
        var peer = await PeerNode.StartAsync(new PeerOptions
        {
            Path = path, MasterHost = "127.0.0.1", MasterPort = masterPort ?? Master!.Port, Port = 0, Bind = "127.0.0.1",
            Advertise = "127.0.0.1", Name = name, Force = force, MaxReconnectDelay = TimeSpan.FromSeconds(1),
        }).Within(30);
        peer.Event += (_, e) => { lock (Log) Log.Add(name + ": " + e.Message); };
        _peers.Add(peer);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _peers) await p.StopAsync().Within(30);
        if (Master is not null) await Master.StopAsync().Within(30);
        foreach (var f in _folders) f.Dispose();
    }
}
