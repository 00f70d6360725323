using System.Net;
using System.Net.Sockets;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Cli;

/// <summary>
/// Servers often have a web proxy configured for the internet. Traffic between master and peers
/// never goes through it: with one set (a proxy that never answers), a peer still joins and syncs.
/// </summary>
public class ProxyCliTests
{
    [Fact]
    public async Task A_configured_web_proxy_is_not_used_between_master_and_peer()
    {
        using var master = new TempFolder();
        using var peer = new TempFolder();
        master.Write("data.bin", TestData.Random(300_000, 21));
        master.Write("sub/small.txt", "small file");
        // The "proxy": it accepts connections and never answers; it counts them.
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        int proxied = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try { (await proxy.AcceptSocketAsync()).Dispose(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref proxied);
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)proxy.LocalEndpoint).Port}";
        var environment = new Dictionary<string, string>
        {
            ["http_proxy"] = url, ["HTTP_PROXY"] = url, ["https_proxy"] = url, ["HTTPS_PROXY"] = url, ["all_proxy"] = url, ["ALL_PROXY"] = url,
            ["no_proxy"] = "", ["NO_PROXY"] = "",
        };

        using var m = CliProcess.StartWith(environment, "master", master.Path, "--port", "0", "--bind", "127.0.0.1", "--chunk-size", "64K");
        int port = await CliProcess.ServingPortAsync(m);
        using var p = CliProcess.StartWith(environment, "peer", peer.Path, $"127.0.0.1:{port}", "--port", "0", "--bind", "127.0.0.1", "--advertise", "127.0.0.1", "--once", "--connect-timeout", "20");
        var exit = await p.ExitAsync(60);

        Assert.True(exit.Code == 0, exit.Err);
        FolderAssert.Identical(master.Path, peer.Path);
        Assert.Equal(0, Volatile.Read(ref proxied));
    }
}
