using System.Net.Sockets;

namespace LanScatter.Core.Transport;

/// <summary>
/// Says why a connection failed in words a sysadmin acts on: the socket error buried under the
/// WebSocket and HTTP exceptions ("Unable to connect to the remote server" says neither that the
/// name is unknown nor that nothing listens on the port).
/// </summary>
internal static class NetworkErrors
{
    public static string Describe(Exception exception, string host, int port)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the name '{host}' cannot be resolved (DNS: {socket.Message.TrimEnd('.')})",
                    SocketError.ConnectionRefused => $"nothing listens on {host} port {port} (connection refused)",
                    SocketError.TimedOut => $"{host} does not answer (timed out)",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => $"{host} cannot be reached from here (no route)",
                    _ => socket.Message,
                };
            }
        }
        return exception.Message;
    }
}
