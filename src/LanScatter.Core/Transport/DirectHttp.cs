using System.Net.WebSockets;

namespace LanScatter.Core.Transport;

/// <summary>
/// HTTP and WebSocket clients for talking to swarm nodes, always straight to the node: never through
/// a web proxy. Servers often have one configured (http_proxy, or the Windows system setting) for
/// the internet, and it cannot reach, or should not carry, LAN traffic between master and peers:
/// with one set, peers could not join at all and the error blamed the master's port.
/// </summary>
internal static class DirectHttp
{
    public static HttpClient Client(TimeSpan timeout) => new(new HttpClientHandler { UseProxy = false }) { Timeout = timeout };

    public static ClientWebSocket WebSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.Proxy = null;
        return socket;
    }
}
