using System.Net;
using System.Net.WebSockets;
using System.Text;
using LanScatter.Core.Protocol;
using LanScatter.Core.Transport;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

public class ProtocolViolationTests
{
    private const string Id = "raw-peer";

    private static async Task<ControlChannel> Connect(int port)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None).Within(10);
        return new ControlChannel(ws);
    }

    private static Task Send(ControlChannel c, string text) => c.SendRawAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None).Within(10);

    /// <summary>The next error the master sends (skipping orders meant for a real peer).</summary>
    private static async Task<ErrorMessage> NextError(ControlChannel c)
    {
        while (true)
        {
            var m = await c.ReceiveAsync(CancellationToken.None).Within(15);
            Assert.NotNull(m);
            if (m is ErrorMessage e) return e;
        }
    }

    private static async Task AssertClosed(ControlChannel c)
    {
        while (true)
        {
            var m = await c.ReceiveAsync(CancellationToken.None).Within(15);
            if (m is null) return;
        }
    }

    private static string Hello(int port, string? protocol = null, string? address = "127.0.0.1", string id = Id) =>
        $$"""{"type":"hello","protocol":{{protocol ?? MessageCodec.ProtocolVersion.ToString()}},"peerId":"{{id}}","name":"raw","address":{{(address is null ? "null" : $"\"{address}\"")}},"port":{{port}},"have":[]}""";

    public static TheoryData<string, string> FatalBeforeHello => new()
    {
        { """{"protocol":1}""", "no \"type\"" },
        { """{"type":"launch-missiles"}""", "unknown message type" },
        { """{"type":"\ud800"}""", "not valid JSON" },
        { "this is { not json", "not valid JSON" },
        { """{"type":"have","chunks":[]}""", "expected 'hello' first" },
        { """{"type":"hello","protocol":"one","peerId":"x","port":1}""", "malformed" },
        { """{"type":"hello","protocol":99,"peerId":"x","port":1}""", "protocol version 99 is not supported" },
        { $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"x"}""", "needs the port" },
        { $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"port":5}""", "needs a peerId" },
    };

    [Theory]
    [MemberData(nameof(FatalBeforeHello))]
    public async Task Bad_first_messages_get_a_clear_error_and_the_connection_is_closed(string message, string expected)
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        using var c = await Connect(master.Port);
        await Send(c, message);
        var error = await NextError(c);
        Assert.Contains(expected, error.Message);
        Assert.True(error.Fatal);
        await AssertClosed(c);
    }

    [Fact]
    public async Task A_hello_advertising_an_address_that_is_not_this_peer_is_refused()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        await using var impostor = PlayedNodes.StatusEndpoint("someone-else");
        using var c = await Connect(master.Port);
        await Send(c, Hello(impostor.Port));
        var error = await NextError(c);
        Assert.True(error.Fatal);
        Assert.Contains("is not this peer", error.Message);
        await AssertClosed(c);

        using var d = await Connect(master.Port);
        await Send(d, Hello(TestSwarm.FreePort()));
        Assert.Contains("cannot reach this peer", (await NextError(d)).Message);
    }

    [Theory]
    [InlineData("x:y")]
    [InlineData("bad host name")]
    [InlineData("[::1")]
    public async Task A_hello_advertising_something_that_is_not_an_address_is_refused_at_once(string address)
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        using var c = await Connect(master.Port);
        await Send(c, Hello(TestSwarm.FreePort(), address: address));
        var error = await NextError(c);
        Assert.True(error.Fatal);
        Assert.Contains($"'{address}' is not a host name or IP address", error.Message);
        await AssertClosed(c);
    }

    [Fact]
    public async Task An_oversized_message_closes_the_connection()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        using var c = await Connect(master.Port);
        var huge = "{\"type\":\"have\",\"chunks\":[\"" + new string('a', MessageCodec.MaxMessageBytes) + "\"]}";
        await Send(c, huge);
        var error = await NextError(c);
        Assert.True(error.Fatal);
        Assert.Contains("exceeds the limit", error.Message);
        await AssertClosed(c);
    }

    [Fact]
    public async Task Bad_messages_after_hello_get_errors_the_session_survives_and_a_real_peer_still_syncs()
    {
        await using var swarm = new TestSwarm();
        swarm.MasterFolder.Write("a.bin", TestData.Random(200_000, 1));
        var master = await swarm.StartMasterAsync();
        await using var status = PlayedNodes.StatusEndpoint(Id);
        using var c = await Connect(master.Port);
        await Send(c, Hello(status.Port));
        var welcome = await c.ReceiveAsync(CancellationToken.None).Within(15);
        Assert.IsType<WelcomeMessage>(welcome);

        var cases = new (string Message, string Expected)[]
        {
            (Hello(status.Port), "belongs to the start of a connection"),
            ("""{"no":"type"}""", "no \"type\""),
            ("""{"type":"teleport"}""", "unknown message type"),
            ("{{{", "not valid JSON"),
            ("""{"type":"have","chunks":["0000000000000000000000000000000000000000000000000000000000000000"]}""", "not in manifest"),
            ("""{"type":"have"}""", "needs a 'chunks' list"),
            ("""{"type":"transfer","done":true}""", "needs 'transferId'"),
            ("""{"type":"transfer","transferId":5,"done":true}""", "needs 'transferId'"),
            ("""{"type":"fetch","transferId":1,"chunkId":"x","url":"http://example.invalid/"}""", "may not send 'fetch'"),
        };
        foreach (var (message, expected) in cases)
        {
            await Send(c, message);
            var error = await NextError(c);
            Assert.Contains(expected, error.Message);
            Assert.False(error.Fatal, $"'{message}' should not end the session");
        }

        var dir = swarm.NewFolder();
        var peer = await swarm.StartPeerAsync(dir.Path, "real");
        await swarm.InSync(60, peer);
        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
        Assert.Equal(HttpStatusCode.NotFound, (await new HttpClient().GetAsync($"http://127.0.0.1:{master.Port}/chunks/..%2F..%2Fetc%2Fpasswd").Within(10)).StatusCode);
    }
}
