using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class StatusPageTests
{
    [Fact]
    public async Task The_swarm_document_shows_a_peer_of_an_empty_folder_in_sync_at_100_percent_not_0()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.MakeDirectory("only-an-empty-folder");
        var master = await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        await swarm.InSync(60, await swarm.StartPeerAsync(dir.Path, "p"));
        await Timeouts.Until(() => master.Status.Peers.Any(p => p.State == NodeState.InSync), 10, "the peer's status at the master");

        using var client = new SwarmClient("127.0.0.1", master.Port);
        var peer = (await client.GetSwarmAsync()).Nodes.Single(n => n.Role == "peer");
        Assert.Equal("InSync", peer.State);
        Assert.Equal(100, peer.Percent);
    }

    [Fact]
    public async Task The_page_is_one_self_contained_file_that_fetches_nothing_from_elsewhere()
    {
        await using var swarm = new TestSwarm();
        var master = await swarm.StartMasterAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{master.Port}/").Within(10);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("EventSource(\"api/events\")", page);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", "")); // nothing absolute: no CDN, no other host
        Assert.DoesNotContain("https://", page);
        Assert.DoesNotContain("<script src", page);
        Assert.DoesNotContain("<link rel=\"stylesheet", page);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
