using System.Net.Sockets;

namespace LanScatter.Core.Transport.Http;

/// <summary>
/// One accepted connection as a stream: reads go through a buffer that also holds the request
/// head, so the bytes after a head (a body, WebSocket frames) are read in order; writes go straight
/// to the socket. A deadline aborts the connection when it passes: reads on .NET Framework do not
/// see cancellation, but they do see a closed socket.
/// </summary>
internal sealed class ConnectionStream : Stream
{
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly byte[] _buffer = new byte[RequestHead.MaxLength];
    private readonly Timer _deadline;
    private int _start, _end;
    private int _aborted;

    public ConnectionStream(Socket socket)
    {
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: true);
        _deadline = new Timer(_ => Abort(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Bytes read from the socket and not yet consumed.</summary>
    public ArraySegment<byte> Buffered => new(_buffer, _start, _end - _start);

    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Marks <paramref name="count"/> buffered bytes as consumed.</summary>
    public void Consume(int count)
    {
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    /// <summary>Reads more into the buffer; 0 when the client closed, or the buffer is full.</summary>
    public async Task<int> FillAsync()
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) return 0;
        int n = await _network.ReadAsync(_buffer, _end, _buffer.Length - _end).ConfigureAwait(false);
        _end += n;
        return n;
    }

    /// <summary>Aborts the connection unless <see cref="Disarm"/> comes first.</summary>
    public void Arm(TimeSpan limit) => SetDeadline(limit);

    public void Disarm() => SetDeadline(Timeout.InfiniteTimeSpan);

    private void SetDeadline(TimeSpan due)
    {
        try
        {
            _deadline.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection is closed: no deadline left to keep.
        }
    }

    /// <summary>Resets the connection: the client sees a broken transfer, never a short one that looks whole.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        _network.Dispose();
    }

    /// <summary>
    /// Closes a connection between requests without losing what it already sent: the kernel still
    /// delivers the send queue, then FIN. A reset (<see cref="Abort"/>) throws the queue away, and a
    /// slow client lost the end of a chunk whenever a leaving peer stopped. Shutting the sending side
    /// first also keeps .NET from resetting a socket that has a read pending.
    /// </summary>
    public void CloseAfterSent()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed or reset: nothing left to deliver.
        }
        _network.Dispose();
    }

    /// <summary>Ends the connection after an answer: sends FIN, then reads what the client still sends for a moment so that the answer is not lost to a reset.</summary>
    public async Task CloseGracefullyAsync(TimeSpan linger, long maxDrain)
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            Arm(linger);
            var scrap = new byte[16 * 1024];
            long drained = 0;
            int n;
            while (drained < maxDrain && (n = await _network.ReadAsync(scrap, 0, scrap.Length).ConfigureAwait(false)) > 0) drained += n;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Gone or out of time: closed either way.
        }
        finally
        {
            Disarm();
            Dispose();
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (TakeBuffered(buffer, offset, count) is int n and > 0) return n;
        return _network.Read(buffer, offset, count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (TakeBuffered(buffer, offset, count) is int n and > 0) return Task.FromResult(n);
        return _network.ReadAsync(buffer, offset, count, cancellationToken);
    }

    private int TakeBuffered(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(count, _end - _start);
        if (n <= 0) return 0;
        Buffer.BlockCopy(_buffer, _start, buffer, offset, n);
        Consume(n);
        return n;
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// Sends <paramref name="head"/> (if any) and then <paramref name="count"/> bytes of a file from
    /// <paramref name="offset"/>, straight from the page cache to the socket (sendfile on Linux,
    /// TransmitPackets on Windows): no copy through a buffer, one system call for the piece.
    /// The file must be opened for asynchronous I/O.
    /// </summary>
    public Task SendFileAsync(byte[]? head, FileStream file, long offset, int count)
    {
        var piece = new SendPacketsElement(file, offset, count);
        var args = new SocketAsyncEventArgs { SendPacketsElements = head is null ? new[] { piece } : new[] { new SendPacketsElement(head), piece } };
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void End(SocketAsyncEventArgs done)
        {
            if (done.SocketError == SocketError.Success) sent.TrySetResult(true);
            else sent.TrySetException(new IOException("the connection broke while sending: " + done.SocketError, new SocketException((int)done.SocketError)));
            done.Dispose();
        }
        args.Completed += (_, done) => End(done);
        try
        {
            if (!_socket.SendPacketsAsync(args)) End(args);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or ArgumentException)
        {
            // ArgumentException: the file is now shorter than the piece (cut since it was opened).
            args.Dispose();
            throw new IOException("sending from the file failed: " + ex.Message, ex);
        }
        return sent.Task;
    }
#endif

    public override void Write(byte[] buffer, int offset, int count) => _network.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _network.WriteAsync(buffer, offset, count, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush() { }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deadline.Dispose();
            _network.Dispose();
        }
        base.Dispose(disposing);
    }
}
