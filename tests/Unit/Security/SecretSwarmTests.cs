using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Security;

/// <summary>Real masters and peers on loopback with and without a swarm secret.</summary>
public class SecretSwarmTests
{
    private const int Chunk = 64 * 1024;
    private static readonly SwarmSecret Secret = SwarmSecret.FromText("the swarm secret of these tests", "test");
    private static readonly SwarmSecret Other = SwarmSecret.FromText("a different secret altogether", "test");

    private static PeerOptions PeerOf(int masterPort, string path, SwarmSecret? secret) => new()
    {
        Path = path, MasterHost = "127.0.0.1", MasterPort = masterPort, Port = 0, Bind = "127.0.0.1", Advertise = "127.0.0.1",
        Name = "p", Secret = secret, ConnectTimeout = TimeSpan.FromSeconds(30), MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task Peers_with_the_masters_secret_sync_identical_folders_fetching_from_each_other()
    {
        await using var swarm = new TestSwarm(Chunk, rateMbit: 40, secret: Secret);
        swarm.MasterFolder.Write("a.bin", TestData.Random(40 * Chunk, 1));
        swarm.MasterFolder.Write("sub/b.txt", "bee");
        var master = await swarm.StartMasterAsync();
        var folders = Enumerable.Range(0, 3).Select(_ => swarm.NewFolder()).ToList();
        var peers = new List<PeerNode>();
        for (int i = 0; i < 3; i++) peers.Add(await swarm.StartPeerAsync(folders[i].Path, "p" + i));
        await swarm.InSync(60, peers.ToArray());
        foreach (var f in folders) FolderAssert.Identical(swarm.MasterFolder.Path, f.Path);
        Assert.True(peers.Sum(p => p.Status.BytesFromPeers) > 0, "peers served each other with signed requests");
        lock (swarm.Log) Assert.DoesNotContain(swarm.Log, l => l.Contains("the swarm is open"));
    }

    [Theory]
    [InlineData(false, true)]   // the peer has no secret
    [InlineData(true, true)]    // the peer has another secret
    [InlineData(true, false)]   // the master has none: the peer will not follow it
    public async Task A_peer_whose_secret_does_not_match_fails_at_once_with_Unauthorized_and_changes_nothing(bool peerHasSecret, bool masterHasSecret)
    {
        await using var swarm = new TestSwarm(Chunk, secret: masterHasSecret ? Secret : null);
        swarm.MasterFolder.Write("a.bin", TestData.Random(4 * Chunk, 2));
        var master = await swarm.StartMasterAsync();
        using var folder = new TempFolder();
        folder.Write(".lanscatter/peer.json", "{\"peerId\":\"returning\"}");
        var mine = folder.Write("mine.txt", "not on the master: a wrong master would delete it");
        await using var peer = new PeerNode(PeerOf(master.Port, folder.Path, peerHasSecret ? (masterHasSecret ? Other : Secret) : null) with { Force = true });
        var started = DateTime.UtcNow;
        peer.Start();
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(20));
        Assert.Equal("Unauthorized", ex.ErrorId);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "refused at once, not after retrying");
        Assert.Contains("secret", ex.Message);
        Assert.True(File.Exists(mine));
        Assert.False(File.Exists(folder.Combine("a.bin")));
        Assert.Empty(master.Status.Peers);
    }

    [Fact]
    public async Task Without_a_credential_every_master_and_peer_endpoint_answers_401_with_no_data()
    {
        await using var swarm = new TestSwarm(Chunk, secret: Secret);
        swarm.MasterFolder.Write("passwords.txt", "hunter2-and-friends");
        var master = await swarm.StartMasterAsync();
        var peer = await swarm.StartPeerAsync(swarm.NewFolder().Path, "p");
        await swarm.InSync(30, peer);
        var id = master.Manifest.Files[0].Chunks[0].Id;
        var piece = ManifestPieces.Encode(master.Manifest).PieceIds.Single(); // the id the master serves it by
        using var http = new HttpClient();
        foreach (var port in new[] { master.Port, peer.Port })
        {
            foreach (var path in new[] { "/", "/api/swarm", "/api/manifest", $"/api/manifest/{piece}", $"/chunks/{id}", "/api/status", "/metrics", "/no/such/page" })
            {
                foreach (var auth in new AuthenticationHeaderValue?[] { null, new("Bearer", "lsr_wrong"), new("LanScatter", "AAAA"), new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:lsr_wrong"))) })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
                    request.Headers.Authorization = auth;
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{port}{path} with {auth}: {(int)response.StatusCode}");
                    Assert.DoesNotContain("passwords", body);
                    Assert.DoesNotContain(id, body);
                    Assert.DoesNotContain("hunter2", body);
                }
            }
        }
    }

    [Fact]
    public async Task The_read_token_opens_the_page_and_swarm_view_but_no_chunk_manifest_or_control_action()
    {
        await using var swarm = new TestSwarm(Chunk, secret: Secret);
        swarm.MasterFolder.Write("a.bin", TestData.Random(2 * Chunk, 3));
        var master = await swarm.StartMasterAsync();
        var id = master.Manifest.Files[0].Chunks[0].Id;
        using var http = new HttpClient();
        async Task<HttpStatusCode> Get(string path, AuthenticationHeaderValue auth)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}{path}") { Headers = { Authorization = auth } };
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        var bearer = new AuthenticationHeaderValue("Bearer", Secret.ReadToken);
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + Secret.ReadToken)));
        Assert.Equal(HttpStatusCode.OK, await Get("/api/swarm", bearer));
        Assert.Equal(HttpStatusCode.OK, await Get("/", basic));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get($"/chunks/{id}", bearer));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("/api/manifest", bearer));
        Assert.Equal(HttpStatusCode.Unauthorized, await Get($"/api/manifest/{ManifestPieces.Encode(master.Manifest).PieceIds[0]}", bearer));
        using var post = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{master.Port}/api/limits") { Content = new StringContent("{\"uploadMbps\":1}"), Headers = { Authorization = bearer } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(post)).StatusCode);
        Assert.Equal(0, master.Status.UploadLimitMbit);

        using var page = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/");
        var prompt = await http.SendAsync(page);
        Assert.Equal("Basic", prompt.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_control_action_needs_the_secret_and_a_captured_one_cannot_be_replayed()
    {
        await using var swarm = new TestSwarm(Chunk, secret: Secret);
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        using (var member = new SwarmClient("127.0.0.1", master.Port, secret: Secret))
        {
            await member.SetLimitsAsync(uploadMbps: 30, downloadMbps: null);
            // The status is republished by the master's loop, a moment after the answer.
            await Timeouts.Until(() => Math.Abs(master.Status.UploadLimitMbit - 30) < 1e-3, 10, "the master's new upload limit");
            Assert.Equal("master", Assert.Single((await member.GetSwarmAsync()).Nodes).Role);
        }
        using (var stranger = new SwarmClient("127.0.0.1", master.Port))
        {
            Assert.Equal("Unauthorized", (await Assert.ThrowsAsync<LanScatterException>(() => stranger.GetSwarmAsync())).ErrorId);
        }
        using (var wrong = new SwarmClient("127.0.0.1", master.Port, secret: Other))
        {
            Assert.Equal("Unauthorized", (await Assert.ThrowsAsync<LanScatterException>(() => wrong.SetLimitsAsync(1, 1))).ErrorId);
        }

        // What an eavesdropper saw: a signed request with a nonce already spent.
        using var http = new HttpClient();
        var nonce = await http.GetStringAsync($"http://127.0.0.1:{master.Port}/api/nonce");
        const string body = "{\"uploadMbps\":5}";
        HttpRequestMessage Signed() => HttpCredentials.SignControl(
            new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{master.Port}/api/limits") { Content = new StringContent(body) }, Secret, nonce, body);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(Signed())).StatusCode);
        await Timeouts.Until(() => Math.Abs(master.Status.UploadLimitMbit - 5) < 1e-3, 10, "the limit of the signed request");
        master.SetLimits(30, null);
        await Timeouts.Until(() => Math.Abs(master.Status.UploadLimitMbit - 30) < 1e-3, 10, "the limit set back");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Signed())).StatusCode);
        await Task.Delay(300); // a replay taken would show by now
        Assert.Equal(30, master.Status.UploadLimitMbit, 3);
        // The body is signed too: the same nonce and signature with another body is refused.
        var fresh = await http.GetStringAsync($"http://127.0.0.1:{master.Port}/api/nonce");
        var altered = HttpCredentials.SignControl(new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{master.Port}/api/limits") { Content = new StringContent("{\"uploadMbps\":1}") }, Secret, fresh, body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(altered)).StatusCode);
    }

    public static TheoryData<string> ImpostorOpenings => new()
    {
        "welcome",          // a master without the secret offers a manifest that would empty the folder
        "manifest-delta",   // orders to delete, before any proof
        "fetch",
        "challenge",        // a challenge whose proof is made up
    };

    [Theory]
    [MemberData(nameof(ImpostorOpenings))]
    public async Task A_peer_with_a_secret_follows_nothing_from_a_master_that_cannot_prove_it(string opening)
    {
        var empty = LanScatter.Core.Manifest.ManifestJson.Serialize(new LanScatter.Core.Manifest.FolderManifest(Chunk, Array.Empty<LanScatter.Core.Manifest.ManifestFile>(), Array.Empty<string>()));
        var messages = new Dictionary<string, string>
        {
            ["welcome"] = PlayedNodes.Welcome(empty),
            ["manifest-delta"] = """{"type":"manifest-delta","baseVersion":0,"version":1,"removed":["mine.txt"]}""",
            ["fetch"] = """{"type":"fetch","transferId":1,"chunkId":"00","url":"/chunks/00"}""",
            ["challenge"] = """{"type":"challenge","nonce":"AAAAAAAAAAAAAAAAAAAAAA","proof":"made-up"}""",
        };
        var peerSaid = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var impostor = PlayedNodes.Master(messages[opening], reply => peerSaid.TrySetResult(reply ?? "(closed)"));
        using var folder = new TempFolder();
        folder.Write(".lanscatter/peer.json", "{\"peerId\":\"returning\"}");
        var mine = folder.Write("mine.txt", "must survive");
        await using var peer = new PeerNode(PeerOf(impostor.Port, folder.Path, Secret) with { Force = true });
        peer.Start();
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(20));
        Assert.Equal("Unauthorized", ex.ErrorId);
        Assert.Equal("must survive", File.ReadAllText(mine));
        if (opening == "challenge") Assert.Contains("did not prove the swarm secret", await peerSaid.Task.Within(10));
    }

    [Fact]
    public async Task After_joining_an_unsealed_or_forged_message_ends_the_session()
    {
        await using var swarm = new TestSwarm(Chunk, secret: Secret);
        swarm.MasterFolder.Write("a.txt", "a");
        var master = await swarm.StartMasterAsync();
        await using var status = PlayedNodes.StatusEndpoint("insider");
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{master.Port}/ws"), CancellationToken.None).Within(10);
        using var channel = new ControlChannel(ws);
        var nonce = Mac.NewNonce();
        await channel.SendRawAsync(Encoding.UTF8.GetBytes($$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"insider","address":"127.0.0.1","port":{{status.Port}},"nonce":"{{nonce}}","have":[]}"""), CancellationToken.None);
        var challenge = Assert.IsType<LanScatter.Core.Protocol.ChallengeMessage>(await channel.ReceiveAsync(CancellationToken.None).Within(10));
        Assert.Equal(JoinExchange.MasterProof(Secret, nonce, challenge.Nonce), challenge.Proof);
        await channel.SendAsync(new LanScatter.Core.Protocol.AuthMessage { Proof = JoinExchange.PeerProof(Secret, nonce, challenge.Nonce) }, CancellationToken.None);
        var (_, receive) = JoinExchange.PeerSeals(Secret, nonce, challenge.Nonce);
        var welcome = await channel.ReceiveRawAsync(CancellationToken.None).Within(10);
        Assert.Contains("\"type\":\"welcome\"", Encoding.UTF8.GetString(receive.Open(welcome!)));
        await Timeouts.Until(() => master.Status.Peers.Count == 1, 10, "the insider admitted");

        // Unsealed, as a stranger on the path would inject it: the master drops the session.
        await channel.SendRawAsync(Encoding.UTF8.GetBytes("{\"type\":\"have\",\"chunks\":[]}"), CancellationToken.None);
        await Timeouts.Until(() => master.Status.Peers.Count == 0, 10, "the session dropped");
        lock (swarm.Log) Assert.Contains(swarm.Log, l => l.Contains("unsealed message"));
    }
}
