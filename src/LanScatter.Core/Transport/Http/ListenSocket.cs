using System.Net;
using System.Net.Sockets;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Transport.Http;

/// <summary>The listening socket for a bind address and port, with errors a sysadmin can act on.</summary>
internal static class ListenSocket
{
    public static Socket Open(string? bind, int port)
    {
        var addresses = Addresses(bind);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // All interfaces: IPv6 and IPv4 on one socket where the system has IPv6.
                if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(512);
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
                if (ex.SocketErrorCode == SocketError.AddressAlreadyInUse) break;
            }
        }
        var where = bind is { Length: > 0 } && bind != "*" ? $"port {port} of {bind}" : $"port {port}";
        throw last?.SocketErrorCode == SocketError.AddressAlreadyInUse
            ? new LanScatterException("PortInUse", $"cannot listen on {where}: it is in use (is another LanScatter node running? choose another with --port)", last)
            : new LanScatterException("PortInUse", $"cannot listen on {where}: {last?.Message ?? "no address to listen on"}", last);
    }

    // Where to listen: every interface (IPv6 with IPv4, else IPv4 alone), or the addresses of one name.
    private static IReadOnlyList<IPAddress> Addresses(string? bind)
    {
        if (string.IsNullOrEmpty(bind) || bind is "*" or "+" or "0.0.0.0")
            return Socket.OSSupportsIPv6 ? new[] { IPAddress.IPv6Any, IPAddress.Any } : new[] { IPAddress.Any };
        var text = bind!.Trim('[', ']');
        if (IPAddress.TryParse(text, out var literal)) return new[] { literal };
        try
        {
            var resolved = Dns.GetHostAddresses(text);
            if (resolved.Length > 0) return resolved;
        }
        catch (SocketException)
        {
        }
        throw new LanScatterException("InvalidOption", $"cannot listen on '{bind}': not an address of this machine (give an IP address, or a name that resolves to one)");
    }
}
