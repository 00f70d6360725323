using System.Net;

namespace LanScatter.Core.Transport.Http;

/// <summary>
/// Serves the requests of one connection in turn (HTTP/1.1 keep-alive). A head must arrive whole
/// within <see cref="HeadTimeout"/> of its first byte (of the connection, for the first request) and
/// a kept connection may sit idle for <see cref="IdleTimeout"/>: a client that trickles its headers
/// or opens connections and sends nothing holds them only that long.
/// </summary>
internal sealed class HttpConnection
{
    /// <summary>How long a request head may take to arrive, and each read of a body.</summary>
    internal static TimeSpan HeadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a kept connection waits for its next request: longer than clients keep idle connections (1 min in .NET, 100 s in .NET Framework).</summary>
    internal static TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A body left unread that is skipped to keep the connection; a bigger one closes it.</summary>
    private const long MaxSkippedBody = 64 * 1024;

    private readonly ConnectionStream _stream;
    private readonly IPAddress _remote;
    private readonly Func<HttpExchange, CancellationToken, Task> _handler;
    private readonly CancellationToken _stop;
    private int _busy;

    public HttpConnection(ConnectionStream stream, IPAddress remote, Func<HttpExchange, CancellationToken, Task> handler, CancellationToken stop)
    {
        _stream = stream;
        _remote = remote;
        _handler = handler;
        _stop = stop;
    }

    /// <summary>True while a request is being handled (a stop lets it finish; an idle connection is closed at once).</summary>
    public bool IsBusy => Volatile.Read(ref _busy) != 0;

    public void Abort() => _stream.Abort();

    /// <summary>Closes the connection between requests; the answers it sent still arrive whole.</summary>
    public void CloseIdle() => _stream.CloseAfterSent();

    public async Task RunAsync()
    {
        try
        {
            bool first = true;
            while (!_stop.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(first).ConfigureAwait(false);
                first = false;
                if (head is null) return;
                if (!await ServeAsync(head).ConfigureAwait(false)) return;
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The client went away, or a deadline reset the connection.
        }
        finally
        {
            _stream.Dispose();
        }
    }

    // One request: true when the connection can take the next one.
    private async Task<bool> ServeAsync(RequestHead head)
    {
        var exchange = new HttpExchange(head, _stream, _remote);
        Volatile.Write(ref _busy, 1);
        try
        {
            await _handler(exchange, _stop).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failing handler answers 500 (or, having started its answer, cuts it off) and never stops the server.
            if (exchange.IsUpgraded) return false;
            if (exchange.Response.HasStarted) exchange.Response.Abort();
            else
            {
                exchange.Response.StatusCode = 500;
                exchange.Response.ContentLength = null; // the body it promised is not coming
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
        if (exchange.IsUpgraded) return false; // the WebSocket had the connection and is done with it
        if (!await exchange.Response.FinishAsync().ConfigureAwait(false)) return false;
        return await exchange.Request.InputStream.SkipAsync(MaxSkippedBody).ConfigureAwait(false);
    }

    // The next request's head; null when the client closed, was too slow, or sent one that is refused (after answering it).
    private async Task<RequestHead?> ReadHeadAsync(bool first)
    {
        bool started = first;
        _stream.Arm(first ? HeadTimeout : IdleTimeout);
        try
        {
            while (true)
            {
                SkipEmptyLines();
                var buffered = _stream.Buffered;
                if (buffered.Count > 0)
                {
                    if (!started)
                    {
                        started = true;
                        _stream.Arm(HeadTimeout);
                    }
                    if (RequestHead.TryParse(buffered, out var head, out int length, out int status))
                    {
                        if (head is null)
                        {
                            await RefuseAsync(status).ConfigureAwait(false);
                            return null;
                        }
                        _stream.Consume(length);
                        return head;
                    }
                    if (buffered.Count >= RequestHead.MaxLength)
                    {
                        await RefuseAsync(431).ConfigureAwait(false);
                        return null;
                    }
                }
                if (await _stream.FillAsync().ConfigureAwait(false) == 0) return null;
            }
        }
        finally
        {
            _stream.Disarm();
        }
    }

    // Empty lines before a request line are ignored (RFC 9112 2.2).
    private void SkipEmptyLines()
    {
        var b = _stream.Buffered;
        int n = 0;
        while (n < b.Count && b.Array![b.Offset + n] is (byte)'\r' or (byte)'\n') n++;
        if (n > 0) _stream.Consume(n);
    }

    private async Task RefuseAsync(int status)
    {
        var answer = StatusText.Closing(status);
        await _stream.WriteAsync(answer, 0, answer.Length).ConfigureAwait(false);
        await _stream.CloseGracefullyAsync(TimeSpan.FromSeconds(2), 4 << 20).ConfigureAwait(false);
    }
}
