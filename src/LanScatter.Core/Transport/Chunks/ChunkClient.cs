using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>
/// The HTTP/1.1 client for chunk bodies (<c>GET /chunks/...</c>), in place of HttpClient there: it
/// owns its sockets, so a body is read in large pieces at a low-water mark
/// (<see cref="ChunkConnection"/>), which HttpClient's pooled connections do not allow. Connections
/// to each source are kept and reused; a kept one the source has closed meanwhile is replaced,
/// and a request it loses before any answer is sent again once on a new connection.
/// Control requests and the manifest stay on HttpClient. Thread-safe.
/// </summary>
internal sealed class ChunkClient : IDisposable
{
    /// <summary>Kept connections unused this long are closed: sources close idle ones after 2 minutes.</summary>
    internal static TimeSpan IdleLimit { get; set; } = TimeSpan.FromSeconds(50);

    private const int MaxIdlePerSource = 32;

    private readonly ConcurrentDictionary<string, ConcurrentStack<ChunkConnection>> _idle = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _connectTimeout;
    private int _disposed;

    public ChunkClient(TimeSpan? connectTimeout = null) => _connectTimeout = connectTimeout ?? TimeSpan.FromSeconds(15);

    /// <summary>
    /// Sends a GET and returns the answer with its body still to read. Throws SocketException when the
    /// source cannot be reached, IOException when the exchange breaks, OperationCanceledException when cancelled.
    /// </summary>
    public async Task<ChunkResponse> GetAsync(Uri url, string? authorization, CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes(
            "GET " + url.PathAndQuery + " HTTP/1.1\r\nHost: " + url.Authority + "\r\n"
            + (authorization is null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n");
        var source = url.Authority;
        while (true)
        {
            var connection = TakeIdle(source) ?? await ConnectAsync(url, source, cancellationToken).ConfigureAwait(false);
            var cancel = cancellationToken.Register(connection.Dispose);
            ResponseHead? head;
            try
            {
                await connection.SendAsync(request).ConfigureAwait(false);
                head = await connection.ReadHeadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                cancel.Dispose();
                connection.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                if (connection.Reused && !connection.AnswerStarted) continue; // a kept connection the source had closed
                throw ex as IOException ?? new IOException(ex.Message, ex);
            }
            if (head is null)
            {
                cancel.Dispose();
                connection.Dispose();
                if (connection.Reused) continue;
                throw new IOException("the source closed the connection without answering");
            }
            return new ChunkResponse(this, connection, head, cancel, cancellationToken);
        }
    }

    /// <summary>A connection whose answer was read to its end goes back to the pool.</summary>
    internal void Return(ChunkConnection connection)
    {
        if (Volatile.Read(ref _disposed) != 0 || connection.IsDisposed)
        {
            connection.Dispose();
            return;
        }
        connection.Reused = true;
        connection.IdleSince = DateTime.UtcNow;
        var stack = _idle.GetOrAdd(connection.Source, _ => new ConcurrentStack<ChunkConnection>());
        if (stack.Count >= MaxIdlePerSource) connection.Dispose();
        else stack.Push(connection);
        if (Volatile.Read(ref _disposed) != 0) DisposeIdle();
    }

    private ChunkConnection? TakeIdle(string source)
    {
        if (!_idle.TryGetValue(source, out var stack)) return null;
        while (stack.TryPop(out var connection))
        {
            if (DateTime.UtcNow - connection.IdleSince < IdleLimit && connection.LooksUsable()) return connection;
            connection.Dispose();
        }
        return null;
    }

    private async Task<ChunkConnection> ConnectAsync(Uri url, string source, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0) throw new ObjectDisposedException(nameof(ChunkClient));
        var connecting = ChunkConnection.ConnectAsync(url.DnsSafeHost, url.Port, source);
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var ended = await Task.WhenAny(connecting, Task.Delay(_connectTimeout, wait.Token)).ConfigureAwait(false);
            wait.Cancel(); // the timer, when the connection came first
            if (ended == connecting) return await connecting.ConfigureAwait(false);
        }
        // Given up on: the connection, if it still comes, is closed unused; its failure, if it fails, is observed here.
        _ = connecting.ContinueWith(t =>
        {
            if (t.Status == TaskStatus.RanToCompletion) t.Result.Dispose();
            else _ = t.Exception;
        }, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        throw new SocketException((int)SocketError.TimedOut);
    }

    private void DisposeIdle()
    {
        foreach (var stack in _idle.Values)
        {
            while (stack.TryPop(out var connection)) connection.Dispose();
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        DisposeIdle();
    }
}
