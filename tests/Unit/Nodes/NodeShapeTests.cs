using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>The engine API hosts use: Start fails at once, Completion ends or faults, once-mode, limits, the swarm view.</summary>
public class NodeShapeTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task Start_throws_FolderNotFound_NotAFolder_and_PortInUse_before_anything_runs()
    {
        using var folder = new TempFolder();
        var file = folder.Write("file.txt", "x");
        Assert.Equal("FolderNotFound", Assert.Throws<LanScatterException>(() => new MasterNode(new MasterOptions { Path = folder.Combine("missing"), Port = 0 }).Start()).ErrorId);
        Assert.Equal("NotAFolder", Assert.Throws<LanScatterException>(() => new MasterNode(new MasterOptions { Path = file, Port = 0 }).Start()).ErrorId);

        await using var first = new MasterNode(new MasterOptions { Path = folder.Path, Port = 0, Bind = "127.0.0.1" });
        first.Start();
        var second = new MasterNode(new MasterOptions { Path = folder.Path, Port = first.Port, Bind = "127.0.0.1" });
        Assert.Equal("PortInUse", Assert.Throws<LanScatterException>(() => second.Start()).ErrorId);
        using var peerFolder = new TempFolder();
        var peer = new PeerNode(new PeerOptions { Path = peerFolder.Path, MasterHost = "127.0.0.1", Port = first.Port, Bind = "127.0.0.1" });
        Assert.Equal("PortInUse", Assert.Throws<LanScatterException>(() => peer.Start()).ErrorId);
    }

    [Fact]
    public async Task A_peer_that_never_reaches_its_master_faults_Completion_with_MasterUnreachable_after_the_connect_timeout()
    {
        using var folder = new TempFolder();
        int closedPort = TestSwarm.FreePort();
        await using var peer = new PeerNode(new PeerOptions
        {
            Path = folder.Path, MasterHost = "127.0.0.1", MasterPort = closedPort, Port = 0, Bind = "127.0.0.1", ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var states = new List<NodeState>();
        peer.StateChanged += (_, s) => { lock (states) states.Add(s.State); };
        peer.Start();
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(20));
        Assert.Equal("MasterUnreachable", ex.ErrorId);
        Assert.Contains($"127.0.0.1:{closedPort}", ex.Message);
        lock (states) Assert.Equal(NodeState.Failed, states.Last());
    }

    [Fact]
    public async Task A_once_peer_ends_Completion_when_in_sync_and_the_master_serves_the_swarm_view_and_takes_limits_from_loopback()
    {
        await using var swarm = new TestSwarm(Chunk);
        swarm.MasterFolder.Write("a.bin", TestData.Random(10 * Chunk, 3));
        var master = await swarm.StartMasterAsync();
        using var stayerDir = new TempFolder();
        var stayer = await swarm.StartPeerAsync(stayerDir.Path, "stayer");

        using var onceDir = new TempFolder();
        await using var once = new PeerNode(new PeerOptions
        {
            Path = onceDir.Path, MasterHost = "127.0.0.1", MasterPort = master.Port, Port = 0, Bind = "127.0.0.1", Advertise = "127.0.0.1", Name = "once", Once = true,
        });
        once.Start();
        await once.Completion.Within(60);
        Assert.True(once.WhenInSync.IsCompleted);
        FolderAssert.Identical(swarm.MasterFolder.Path, onceDir.Path);

        await swarm.InSync(60, stayer);
        using var client = new SwarmClient("127.0.0.1", master.Port);
        await client.SetLimitsAsync(uploadMbps: 50, downloadMbps: 20);
        await Timeouts.Until(() => stayer.Status.DownloadLimitMbit == 20 && stayer.Status.UploadLimitMbit == 50, 10, "the limits pushed to the peer");
        await Timeouts.Until(() => Math.Abs(master.Status.UploadLimitMbit - 50) < 1e-3, 10, "the master's own new upload limit");
        await Timeouts.Until(() => client.GetSwarmAsync().Result.Nodes.Any(n => n.Name == "stayer" && n.DownloadLimitMbps == 20), 10, "the master's view of the peer's limit");

        var doc = await client.GetSwarmAsync();
        Assert.Equal(SwarmDocument.CurrentSchema, doc.SchemaVersion);
        Assert.Equal("master", doc.Nodes[0].Role);
        var row = Assert.Single(doc.Nodes, n => n.Name == "stayer");
        Assert.Equal(100, row.Percent);
        Assert.Equal(row.ChunksTotal, row.ChunksHeld);
        Assert.All(doc.Nodes, n => Assert.Equal($"127.0.0.1:{master.Port}", n.Master));
    }

    [Fact]
    public async Task SwarmClient_reports_an_unreachable_master_as_MasterUnreachable()
    {
        using var client = new SwarmClient("127.0.0.1", TestSwarm.FreePort(), TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => client.GetSwarmAsync());
        Assert.Equal("MasterUnreachable", ex.ErrorId);
    }

    [Theory]
    [InlineData("srv01", "srv01", 10564)]
    [InlineData("srv01:9000", "srv01", 9000)]
    [InlineData("[fe80::1]:9000", "fe80::1", 9000)]
    [InlineData("fe80::1", "fe80::1", 10564)]
    public void HostAddress_parses_what_users_type(string text, string host, int port)
    {
        Assert.Equal((host, port), HostAddress.Parse(text, 10564));
    }

    [Theory]
    [InlineData("")]
    [InlineData("srv01:0")]
    [InlineData("srv01:99999")]
    [InlineData("[fe80::1")]
    [InlineData(":80")]
    public void HostAddress_refuses_malformed_addresses_as_InvalidAddress(string text)
    {
        Assert.Equal("InvalidAddress", Assert.Throws<LanScatterException>(() => HostAddress.Parse(text, 10564)).ErrorId);
    }
}
