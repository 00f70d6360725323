using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

/// <summary>Why a master cannot be reached, said in words a sysadmin acts on.</summary>
public class UnreachableMasterMessageTests
{
    [Theory]
    [InlineData("no-such-host.invalid", "the name 'no-such-host.invalid' cannot be resolved")] // .invalid never resolves (RFC 6761)
    [InlineData("127.0.0.1", "nothing listens on 127.0.0.1 port")]
    public async Task The_peer_says_whether_the_name_is_unknown_or_nothing_listens(string host, string expected)
    {
        using var dir = new TempFolder();
        await using var peer = new PeerNode(new PeerOptions
        {
            Path = dir.Path, MasterHost = host, MasterPort = TestSwarm.FreePort(), Port = 0, Bind = "127.0.0.1",
            ConnectTimeout = TimeSpan.FromSeconds(1),
        });
        peer.Start();
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(30));
        Assert.Equal("MasterUnreachable", ex.ErrorId);
        Assert.Contains(expected, ex.Message);
    }
}
