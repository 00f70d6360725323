using System.Net.Sockets;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>
/// An answer from <see cref="ChunkClient"/> whose body is being read. Disposing it returns the
/// connection to the pool when the body was read to its end and the source keeps the connection;
/// otherwise the connection is closed (the rest of an unwanted body is never read just to keep it).
/// </summary>
internal sealed class ChunkResponse : IDisposable
{
    private readonly ChunkClient _client;
    private readonly ChunkConnection _connection;
    private readonly ResponseHead _head;
    private readonly CancellationTokenRegistration _cancel;
    private readonly CancellationToken _cancellationToken;
    private long _read;
    private bool _broken;
    private int _disposed;

    internal ChunkResponse(ChunkClient client, ChunkConnection connection, ResponseHead head, CancellationTokenRegistration cancel, CancellationToken cancellationToken)
    {
        _client = client;
        _connection = connection;
        _head = head;
        _cancel = cancel;
        _cancellationToken = cancellationToken;
    }

    public int StatusCode => _head.StatusCode;

    public bool IsSuccessStatusCode => StatusCode is >= 200 and < 300;

    /// <summary>The body's length, when the source said it.</summary>
    public long? ContentLength => _head.ContentLength;

    /// <summary>
    /// Fills the buffer with the next <paramref name="count"/> body bytes, fewer only at the end of
    /// the body; 0 at its end. Each wait wakes once the whole rest of the piece can be in (the
    /// socket's low-water mark), so a piece costs one or two reads however the packets came. Where
    /// reads wake on any bytes (Windows), it returns what one read brought: filling the piece there
    /// would only add reads (measured: more CPU, not less).
    /// </summary>
    public async Task<int> FillAsync(byte[] buffer, int offset, int count)
    {
        int filled = 0;
        while (filled < count)
        {
            long? left = _head.ContentLength - _read;
            if (left == 0) break;
            int n;
            try
            {
                n = await _connection.ReadBodyAsync(buffer, offset + filled, count - filled, left, count).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                _broken = true;
                _cancellationToken.ThrowIfCancellationRequested();
                throw ex as IOException ?? new IOException(ex.Message, ex);
            }
            if (n == 0)
            {
                // The body ended early, or ran to the close: short of its length it is never taken for whole.
                if (left is not null) _broken = true;
                break;
            }
            _read += n;
            filled += n;
            if (!ReceiveLowWater.IsSupported) break;
        }
        return filled;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _cancel.Dispose();
        if (!_broken && _head.KeepAlive && _read == _head.ContentLength && !_cancellationToken.IsCancellationRequested) _client.Return(_connection);
        else _connection.Dispose();
    }
}
