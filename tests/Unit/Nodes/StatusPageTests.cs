using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class StatusPageTests
{
    [Fact]
    public async Task The_page_shows_a_peer_of_an_empty_folder_in_sync_at_100_percent_not_0()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.MakeDirectory("only-an-empty-folder");
        var master = await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));
        await Timeouts.Until(() => master.Status.Peers.Any(p => p.State == LanScatter.Core.Nodes.NodeState.InSync), 10, "the peer's status at the master");

        using var http = new HttpClient();
        var page = await http.GetStringAsync($"http://127.0.0.1:{master.Port}/").Within(10);

        Assert.Contains("<td>InSync</td><td>100.0%</td>", page);
    }
}
