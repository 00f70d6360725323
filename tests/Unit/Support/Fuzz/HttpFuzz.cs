using System.Net.Sockets;
using System.Text;

namespace LanScatter.Tests.Support.Fuzz;

/// <summary>
/// Hostile HTTP requests over raw sockets (the parser sees the bytes as sent): mutated methods,
/// paths, credentials, header sizes and bodies. No answer may carry the swarm's data.
/// </summary>
internal static class HttpFuzz
{
    public static async Task RunAsync(int[] ports, IReadOnlyList<string> chunkIds, string readToken, IReadOnlyList<string> forbidden, int count, int seed, FuzzCounts counts)
    {
        var m = new Mutator(seed);
        var paths = new List<string> { "/", "/api/swarm", "/api/manifest", "/api/manifest/", "/api/manifest/zz", "/api/status", "/api/limits", "/api/nonce", "/ws", "/metrics", "/chunks/", "/%2e%2e/%2e%2e/etc/passwd", "/chunks/../api/manifest" };
        paths.AddRange(chunkIds.Take(4).Select(id => "/chunks/" + id));
        var auths = new[]
        {
            "", $"Authorization: Bearer {readToken}\r\n", "Authorization: Bearer lsr_wrong\r\n", $"Authorization: Bearer {readToken}x\r\n", "Authorization: LanScatter AAAA\r\n",
            "Authorization: LanScatter nonce:mac\r\n", "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")) + "\r\n",
            "Authorization: Basic !!!\r\n", "Authorization: " + new string('A', 3000) + "\r\n", "Authorization:\r\n",
        };
        var silent = ports.ToDictionary(p => p, _ => 0);
        for (int i = 0; i < count; i++)
        {
            counts.Try();
            var method = m.Pick(new[] { "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "G\0T", "" });
            var path = m.Pick(paths);
            var body = method == "POST" ? "{\"uploadMbps\":1}" : "";
            var extra = m.Random.Next(20) == 0 ? "X-Big: " + new string('b', m.Random.Next(1000, 70_000)) + "\r\n" : "";
            var request = $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{m.Pick(auths)}{extra}Content-Length: {body.Length}\r\n\r\n{body}";
            var bytes = m.Random.Next(3) == 0 ? Encoding.UTF8.GetBytes(request) : m.Mutate(request);
            var port = m.Pick(ports);
            var answer = await SendAsync(port, bytes);
            if (answer is null)
            {
                counts.Reject(); // closed without an answer
                // Many in a row: is the node still serving at all? One that stopped is the worst crash.
                if (++silent[port] >= 10 && !await AnswersAsync(ports))
                {
                    counts.Crash($"a node stopped answering plain requests after input {i}");
                    return;
                }
                continue;
            }
            silent[port] = 0;
            var status = StatusOf(answer);
            // No answer repeats the request, so any forbidden text in one is data that leaked.
            bool leaked = forbidden.Any(f => answer.Contains(f, StringComparison.Ordinal));
            if (leaked) counts.Crash($"data in the answer to: {Printable(bytes)} => {Printable(Encoding.UTF8.GetBytes(answer))}");
            else if (status is >= 200 and < 300) counts.Accept(); // a nonce, a 101 never completes here, or 204 nothing
            else counts.Reject();
        }
    }

    private static async Task<bool> AnswersAsync(int[] ports)
    {
        foreach (var port in ports)
        {
            var answer = await SendAsync(port, Encoding.ASCII.GetBytes($"GET /api/swarm HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
            if (answer is null || StatusOf(answer) == 0) return false;
        }
        return true;
    }

    private static int StatusOf(string answer)
    {
        var parts = answer.Split(' ', 3);
        return parts.Length > 1 && int.TryParse(parts[1], out var s) ? s : 0;
    }

    private static string Printable(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        return new string(text.Select(c => c < 32 || c > 126 ? '.' : c).ToArray());
    }

    // The whole answer (up to 256 KiB), or null when the server closed without one; 5 s at most.
    private static async Task<string?> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(request, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[256 * 1024];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token);
                if (n == 0) break;
                total += n;
            }
            return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
