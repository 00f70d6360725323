using System.Net;
using System.Net.Sockets;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Transport;

/// <summary>
/// One HTTP/1.1 + WebSocket endpoint per node (HttpListener runs on .NET Framework and .NET alike).
/// Requests are handled concurrently by <see cref="Handler"/>; a failing handler answers 500 and
/// never stops the server.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private HttpListener _listener = new();
    private readonly Func<HttpListenerContext, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly TrackedTasks _inFlight = new();
    private Task? _loop;

    /// <summary>How long a stop waits for requests in flight to see the cancellation and end.</summary>
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(5);

    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly int _maxPerAddress;

    /// <summary>Requests (control connections included) one address may have in flight; more get 503 at once.</summary>
    public const int DefaultMaxPerAddress = 256;

    private HttpServer(Func<HttpListenerContext, CancellationToken, Task> handler, int maxPerAddress)
    {
        _handler = handler;
        _maxPerAddress = maxPerAddress;
    }

    public int Port { get; private set; }

    /// <summary>Starts listening on <paramref name="bind"/> (null or "*" = all interfaces) and <paramref name="port"/> (0 = any free port).</summary>
    public static HttpServer Start(string? bind, int port, Func<HttpListenerContext, CancellationToken, Task> handler, int maxPerAddress = DefaultMaxPerAddress)
    {
        var server = new HttpServer(handler, maxPerAddress);
        string host = string.IsNullOrEmpty(bind) || bind == "*" || bind == "0.0.0.0" ? "+" : bind!.Contains(":") && !bind.StartsWith("[", StringComparison.Ordinal) ? $"[{bind}]" : bind;
        for (int attempt = 0; ; attempt++)
        {
            int chosen = port != 0 ? port : FreePort(bind);
            try
            {
                server._listener.Prefixes.Add($"http://{host}:{chosen}/");
                server._listener.Start();
                server.Port = chosen;
                break;
            }
            catch (HttpListenerException ex)
            {
                // A free port can be taken between probing and binding; try another.
                if (port == 0 && attempt < 5)
                {
                    // A listener whose Start failed cannot start again (the managed one is closed for good).
                    server._listener.Close();
                    server._listener = new HttpListener();
                    continue;
                }
                throw new LanScatterException("PortInUse", $"cannot listen on port {chosen}: {ex.Message} (is another LanScatter node running? choose another with --port)", ex);
            }
        }
        server._loop = Task.Run(server.AcceptLoop);
        return server;
    }

    private static int FreePort(string? bind)
    {
        var address = IPAddress.TryParse(bind, out var a) ? a : IPAddress.Loopback;
        var probe = new TcpListener(address, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            // Never let one request end the loop: a node that stops accepting is dead to the swarm.
            // (A client gone before its request is handed over leaves no RemoteEndPoint: found by fuzzing.)
            var address = RemoteAddress(context);
            if (address is null)
            {
                Abort(context);
                continue;
            }
            if (!Enter(address))
            {
                // One address cannot take every connection and upload a node has.
                try
                {
                    context.Response.StatusCode = 503;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
                continue;
            }
            _inFlight.Track(Task.Run(async () =>
            {
                try { await Serve(context).ConfigureAwait(false); }
                finally { Leave(address); }
            }));
        }
    }

    /// <summary>The client's address, or null when its connection is already gone.</summary>
    public static IPAddress? RemoteAddress(HttpListenerContext context)
    {
        try
        {
            var address = context.Request.RemoteEndPoint?.Address;
            return address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
        }
        catch (Exception ex) when (ex is NullReferenceException or ObjectDisposedException or SocketException)
        {
            return null; // the managed listener dereferences its closed socket
        }
    }

    private static void Abort(HttpListenerContext context)
    {
        try { context.Response.Abort(); } catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or NullReferenceException) { }
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

    private async Task Serve(HttpListenerContext context)
    {
        try
        {
            await _handler(context, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            try { context.Response.StatusCode = 500; } catch (InvalidOperationException) { }
        }
        finally
        {
            if (!context.Request.IsWebSocketRequest)
            {
                try { context.Response.Close(); } catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        // Close alone: Stop then Close unregisters the prefixes twice, and on Linux the second time binds
        // the port again for a moment (and fails if another socket took it meanwhile).
        try { _listener.Close(); } catch (Exception ex) when (ex is ObjectDisposedException or HttpListenerException) { }
        if (_loop is not null) await _loop.ConfigureAwait(false);
        // Requests in flight see the cancellation and end; the token they hold stays valid until they have.
        if (await _inFlight.WhenEndedAsync(DrainWait).ConfigureAwait(false) == 0) _stop.Dispose();
    }
}
