using System.Net;
using System.Net.Sockets;

namespace LanScatter.Core.Transport.Http;

/// <summary>
/// One HTTP/1.1 + WebSocket endpoint per node, on a plain listening socket: no URL reservation or
/// elevation on Windows, and the same deadlines everywhere (HttpListener's managed implementation,
/// used on Linux, never closes a connection that trickles its headers). Requests are handled
/// concurrently by the handler; a failing handler answers 500 and never stops the server.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<HttpExchange, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly TrackedTasks _connections = new();
    private readonly Dictionary<HttpConnection, byte> _open = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly int _maxPerAddress;
    private Task? _loop;

    /// <summary>How long a stop waits for requests in flight to see the cancellation and end.</summary>
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(5);

    /// <summary>Connections (control connections included) one address may hold; more get 503 at once.</summary>
    public const int DefaultMaxPerAddress = 256;

    private HttpServer(Socket listener, Func<HttpExchange, CancellationToken, Task> handler, int maxPerAddress)
    {
        _listener = listener;
        _handler = handler;
        _maxPerAddress = maxPerAddress;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>Starts listening on <paramref name="bind"/> (null, "*" or "0.0.0.0" = all interfaces) and <paramref name="port"/> (0 = any free port).</summary>
    public static HttpServer Start(string? bind, int port, Func<HttpExchange, CancellationToken, Task> handler, int maxPerAddress = DefaultMaxPerAddress)
    {
        var server = new HttpServer(ListenSocket.Open(bind, port), handler, maxPerAddress);
        server._loop = Task.Run(server.AcceptLoop);
        return server;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted; or out of descriptors, for a moment.
                if (ex.SocketErrorCode == SocketError.TooManyOpenSockets) await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            // Never let one connection end the loop: a node that stops accepting is dead to the swarm.
            IPAddress? address = null;
            try
            {
                socket.NoDelay = true; // heads and small answers must not wait for the client's delayed ACK
                address = (socket.RemoteEndPoint as IPEndPoint)?.Address;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
            if (address is null)
            {
                socket.Dispose();
                continue;
            }
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            var stream = new ConnectionStream(socket);
            if (!Enter(address))
            {
                // One address cannot take every connection and upload a node has.
                _connections.Track(RefuseAsync(stream));
                continue;
            }
            var connection = new HttpConnection(stream, address, _handler, _stop.Token);
            lock (_open) _open[connection] = 0;
            _connections.Track(Task.Run(async () =>
            {
                try
                {
                    await connection.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    lock (_open) _open.Remove(connection);
                    Leave(address);
                }
            }));
        }
    }

    private static async Task RefuseAsync(ConnectionStream stream)
    {
        var answer = StatusText.Closing(503);
        try
        {
            await stream.WriteAsync(answer, 0, answer.Length).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }
        await stream.CloseGracefullyAsync(TimeSpan.FromSeconds(1), 64 * 1024).ConfigureAwait(false);
    }

    private bool Enter(IPAddress address)
    {
        lock (_perAddress)
        {
            _perAddress.TryGetValue(address, out int n);
            if (n >= _maxPerAddress) return false;
            _perAddress[address] = n + 1;
            return true;
        }
    }

    private void Leave(IPAddress address)
    {
        lock (_perAddress)
        {
            if (_perAddress.TryGetValue(address, out int n) && n > 1) _perAddress[address] = n - 1;
            else _perAddress.Remove(address);
        }
    }

    // Idle connections close with FIN after what they sent; busy ones (first pass) finish, and
    // those still busy after the drain are reset, so a client never takes a cut answer for whole.
    private void CloseConnections(bool idleOnly)
    {
        List<HttpConnection> open;
        lock (_open) open = _open.Keys.ToList();
        foreach (var connection in open)
        {
            if (!connection.IsBusy) connection.CloseIdle();
            else if (!idleOnly) connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        // Idle connections close now; requests in flight see the cancellation and end, or are cut off.
        CloseConnections(idleOnly: true);
        if (await _connections.WhenEndedAsync(DrainWait).ConfigureAwait(false) > 0)
        {
            CloseConnections(idleOnly: false);
            await _connections.WhenEndedAsync(DrainWait).ConfigureAwait(false);
        }
    }
}
