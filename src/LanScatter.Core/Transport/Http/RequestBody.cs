namespace LanScatter.Core.Transport.Http;

/// <summary>
/// A request's body: exactly Content-Length bytes of the connection, then end of stream. A client
/// that asked for "100-continue" is told to go on when the body is first read. Each read has to
/// make progress within <see cref="HttpConnection.HeadTimeout"/>: a trickled body holds nothing for long.
/// </summary>
internal sealed class RequestBody : Stream
{
    private static readonly byte[] Continue = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");
    private readonly ConnectionStream _connection;
    private long _left;
    private bool _continueOwed;

    public RequestBody(ConnectionStream connection, long length, bool expectsContinue)
    {
        _connection = connection;
        _left = length;
        _continueOwed = expectsContinue && length > 0;
    }

    /// <summary>True when every byte of the body has been read (the connection can take the next request).</summary>
    public bool IsConsumed => _left == 0;

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_left == 0 || count == 0) return 0;
        if (_continueOwed)
        {
            _continueOwed = false;
            await _connection.WriteAsync(Continue, 0, Continue.Length, cancellationToken).ConfigureAwait(false);
        }
        _connection.Arm(HttpConnection.HeadTimeout);
        try
        {
            int n = await _connection.ReadAsync(buffer, offset, (int)Math.Min(count, _left), cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IOException("the client closed the connection before the whole request body arrived");
            _left -= n;
            return n;
        }
        finally
        {
            _connection.Disarm();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reads and drops what is left of a small body so that the connection can be kept; false when it is too big or does not come.</summary>
    public async Task<bool> SkipAsync(long limit)
    {
        if (_left == 0) return true;
        if (_left > limit || _continueOwed) return false; // a client waiting for 100-continue has not sent it
        var scrap = new byte[Math.Min(_left, 16 * 1024)];
        try
        {
            while (_left > 0) await ReadAsync(scrap, 0, scrap.Length, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
