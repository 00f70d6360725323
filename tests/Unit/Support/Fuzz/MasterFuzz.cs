using System.Net.WebSockets;
using System.Text;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Core.Transport;

namespace LanScatter.Tests.Support.Fuzz;

/// <summary>Hostile control messages against a live master: on fresh connections, and inside a joined, sealed session.</summary>
internal static class MasterFuzz
{
    /// <summary>One mutated first message per connection (hello, auth, anything): the master must refuse or challenge, and close.</summary>
    public static async Task JoinAsync(int masterPort, int statusPort, int count, int seed, FuzzCounts counts)
    {
        var m = new Mutator(seed);
        var seeds = new[]
        {
            $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"fuzz-join","name":"f","address":"127.0.0.1","port":{{statusPort}},"nonce":"{{Mac.NewNonce()}}","have":[]}""",
            """{"type":"auth","proof":"AAAA"}""",
            """{"type":"have","chunks":["00"],"full":true}""",
        };
        for (int i = 0; i < count; i++)
        {
            counts.Try();
            using var ws = new ClientWebSocket();
            if (!await ConnectAsync(ws, masterPort, counts)) return;
            using var channel = new ControlChannel(ws);
            var first = m.Mutate(m.Pick(seeds));
            try
            {
                await channel.SendRawAsync(first, CancellationToken.None);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                var reply = await channel.ReceiveRawAsync(wait.Token);
                var text = reply is null ? "" : Encoding.UTF8.GetString(reply);
                if (reply is null || text.Contains("\"type\":\"error\"") || text.Contains("\"type\":\"challenge\"")) counts.Reject();
                else counts.Crash("a first message got: " + text);
            }
            catch (OperationCanceledException)
            {
                counts.Crash("no answer within 15 s to the first message " + Encoding.UTF8.GetString(first));
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                counts.Reject(); // closed on us
            }
        }
    }

    /// <summary>
    /// An insider with the secret joins (so the fuzz reaches past the seal), then sends mutated
    /// messages, sealed as a real peer would, and now and then an unsealed or forged one; it joins
    /// again whenever the master ends the session.
    /// </summary>
    public static async Task SessionAsync(int masterPort, int statusPort, string peerId, SwarmSecret secret, IReadOnlyList<string> chunkIds, int count, int seed, FuzzCounts counts)
    {
        var m = new Mutator(seed);
        var ids = string.Join(",", chunkIds.Take(8).Select(id => $"\"{id}\""));
        var seeds = new[]
        {
            $$"""{"type":"have","chunks":[{{ids}}],"full":false}""",
            $$"""{"type":"have","chunks":[{{ids}}],"full":true,"skip":[{{ids}}]}""",
            $$"""{"type":"lost","chunks":[{{ids}}]}""",
            """{"type":"transfer","transferId":1,"done":true,"ok":true,"bytes":65536,"seconds":0.1}""",
            """{"type":"transfer","transferId":2,"done":false,"ending":true,"bytes":100}""",
            """{"type":"status","bytesDone":5,"bytesTotal":10,"inSync":false,"downloadBytesPerSecond":1,"uploadBytesPerSecond":1,"uploadLimitMbit":0,"downloadLimitMbit":0}""",
            """{"type":"error","message":"x","fatal":false}""",
            """{"type":"limits","uploadLimitMbit":1}""",
            $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"again","port":1}""",
            """{"type":"welcome","epoch":"e","peerId":"p","manifestVersion":9,"manifest":"{}"}""",
        };
        int sent = 0;
        while (sent < count)
        {
            using var ws = new ClientWebSocket();
            if (!await ConnectAsync(ws, masterPort, counts)) return;
            using var channel = new ControlChannel(ws);
            bool joined;
            using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                try { joined = await JoinAsync(channel, statusPort, peerId, secret).WaitAsync(wait.Token); }
                catch (OperationCanceledException) { joined = false; }
            }
            if (!joined) { counts.Crash("the insider could not join within 30 s"); return; }
            var reading = DrainAsync(channel, counts);
            try
            {
                while (sent < count && !reading.IsCompleted)
                {
                    counts.Try();
                    sent++;
                    var bytes = m.Mutate(m.Pick(seeds));
                    if (m.Random.Next(500) == 0)
                    {
                        // Bypasses the seal: the master must end the session (what an injected message gets).
                        await ws.SendAsync(new ArraySegment<byte>(bytes), WebSocketMessageType.Text, true, CancellationToken.None);
                        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(15)));
                        if (!reading.IsCompleted) counts.Crash("an unsealed message did not end the session");
                        break;
                    }
                    await channel.SendRawAsync(bytes, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
            {
                // The master ended the session: join again.
            }
            await channel.CloseAsync("fuzz");
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    // A master that stops answering is the worst outcome of all: a crash, and the end of this fuzz.
    private static async Task<bool> ConnectAsync(ClientWebSocket ws, int masterPort, FuzzCounts counts)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{masterPort}/ws"), wait.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            counts.Crash($"the master did not take a connection within 15 s ({ex.Message})");
            return false;
        }
    }

    // Every error the master answers with is a rejection; anything else is an order or a welcome.
    private static async Task DrainAsync(ControlChannel channel, FuzzCounts counts)
    {
        try
        {
            while (true)
            {
                var raw = await channel.ReceiveRawAsync(CancellationToken.None);
                if (raw is null) return;
                if (Encoding.UTF8.GetString(raw).Contains("\"type\":\"error\"")) counts.Reject();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or ProtocolException or IOException)
        {
        }
    }

    public static async Task<bool> JoinAsync(ControlChannel channel, int statusPort, string peerId, SwarmSecret secret)
    {
        var nonce = Mac.NewNonce();
        await channel.SendRawAsync(Encoding.UTF8.GetBytes(
            $$"""{"type":"hello","protocol":{{MessageCodec.ProtocolVersion}},"peerId":"{{peerId}}","name":"fuzz","address":"127.0.0.1","port":{{statusPort}},"nonce":"{{nonce}}","maxDownloads":1,"maxUploads":0,"have":[]}"""), CancellationToken.None);
        if (await channel.ReceiveAsync(CancellationToken.None) is not ChallengeMessage challenge) return false;
        await channel.SendAsync(new AuthMessage { Proof = JoinExchange.PeerProof(secret, nonce, challenge.Nonce) }, CancellationToken.None);
        var (send, receive) = JoinExchange.PeerSeals(secret, nonce, challenge.Nonce);
        channel.Seal(send, receive);
        return await channel.ReceiveAsync(CancellationToken.None) is WelcomeMessage;
    }
}
