using System.Net;
using System.Net.Sockets;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>
/// One kept TCP connection to a source, carrying chunk requests one after another. A body is read
/// with the socket's low-water mark set to the piece being filled (<see cref="ReceiveLowWater"/>), so
/// each read returns a large piece; the head of the next answer is read with the mark back at one byte.
/// </summary>
internal sealed class ChunkConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _head = new byte[ResponseHead.MaxLength];
    private int _headStart, _headEnd; // bytes read past the last head: the start of its body
    private int _lowWater = 1;
    private int _disposed;

    private ChunkConnection(Socket socket, string source)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Source = source;
    }

    /// <summary>"host:port" of the source, the key of the pool it returns to.</summary>
    public string Source { get; }

    /// <summary>When it last finished an answer (for dropping connections idle too long to trust).</summary>
    public DateTime IdleSince { get; set; }

    /// <summary>True once it carried a request: a failure before any answer may then be the source closing an idle connection.</summary>
    public bool Reused { get; set; }

    /// <summary>True once bytes of the current answer arrived: a failure after that is the source's, never a stale connection's.</summary>
    public bool AnswerStarted => _headEnd > 0;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public static async Task<ChunkConnection> ConnectAsync(string host, int port, string source)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? new[] { literal } : await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, port).ConfigureAwait(false);
                return new ChunkConnection(socket, source);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>False when an idle connection has been closed by the source (or sent something unasked).</summary>
    public bool LooksUsable()
    {
        try
        {
            return !IsDisposed && !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Sends a request; its answer is read next.</summary>
    public Task SendAsync(byte[] request)
    {
        _headStart = _headEnd = 0;
        return _stream.WriteAsync(request, 0, request.Length);
    }

    /// <summary>Reads the next answer's head; null when the source closed before sending one.</summary>
    public async Task<ResponseHead?> ReadHeadAsync()
    {
        SetLowWater(1);
        while (true)
        {
            if (ResponseHead.TryParse(new ArraySegment<byte>(_head, 0, _headEnd), out var head, out int length, out var error))
            {
                if (head is null) throw new IOException(error);
                _headStart = length;
                return head;
            }
            if (_headEnd == _head.Length) throw new IOException($"the source's answer head is over {ResponseHead.MaxLength} bytes");
            int n = await _stream.ReadAsync(_head, _headEnd, _head.Length - _headEnd).ConfigureAwait(false);
            if (n == 0)
            {
                if (_headEnd == 0) return null;
                throw new IOException("the source closed the connection in the middle of an answer");
            }
            _headEnd += n;
        }
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> body bytes, of which <paramref name="left"/> are still to
    /// come (null: until the source closes); 0 when the source closed. A read that has to wait wakes
    /// once <paramref name="wake"/> bytes are in (never more than are left, or it would wait for ever).
    /// </summary>
    public async Task<int> ReadBodyAsync(byte[] buffer, int offset, int count, long? left, int wake)
    {
        if (left is long l)
        {
            count = (int)Math.Min(count, l);
            wake = (int)Math.Min(wake, l);
        }
        if (count == 0) return 0;
        if (_headEnd > _headStart)
        {
            int taken = Math.Min(count, _headEnd - _headStart);
            Buffer.BlockCopy(_head, _headStart, buffer, offset, taken);
            _headStart += taken;
            return taken;
        }
        SetLowWater(left is null ? 1 : Math.Max(1, wake));
        return await _stream.ReadAsync(buffer, offset, count).ConfigureAwait(false);
    }

    // Only when it changes: one system call per body, and a few more for its last piece.
    private void SetLowWater(int bytes)
    {
        if (bytes == _lowWater) return;
        if (ReceiveLowWater.TrySet(_socket, bytes)) _lowWater = bytes;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stream.Dispose();
    }
}
