using System.Globalization;
using System.Text;

namespace LanScatter.Core.Transport.Http;

/// <summary>
/// The answer to one request. Status and fields may change until the first body byte is written;
/// then the head goes out with it. A body of known length is sent as is (and one that ends short
/// resets the connection), one of unknown length in chunks.
/// </summary>
internal sealed class ServerResponse
{
    /// <summary>A first write up to this size goes out in one segment with the head.</summary>
    private const int CombineLimit = 16 * 1024;

    private readonly ConnectionStream _connection;
    private readonly bool _headOnly;
    private readonly List<KeyValuePair<string, string>> _fields = new();
    private int _status = 200;
    private long? _contentLength;
    private long _written;
    private bool _chunked;

    public ServerResponse(ConnectionStream connection, bool headOnly, bool keepAlive)
    {
        _connection = connection;
        _headOnly = headOnly;
        KeepAlive = keepAlive;
        OutputStream = new ResponseBody(this);
    }

    public bool HasStarted { get; private set; }

    /// <summary>False once the connection is to close after this answer.</summary>
    public bool KeepAlive { get; private set; }

    public int StatusCode
    {
        get => _status;
        set
        {
            if (HasStarted) throw new InvalidOperationException("the response has started: its status cannot change");
            if (value is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(value));
            _status = value;
        }
    }

    public string? ContentType { get; set; }

    /// <summary>The body's length when known before it is written (null: sent in chunks).</summary>
    public long? ContentLength
    {
        get => _contentLength;
        set
        {
            if (HasStarted) throw new InvalidOperationException("the response has started: its length cannot change");
            _contentLength = value;
        }
    }

    public Stream OutputStream { get; }

    public void SetHeader(string name, string value)
    {
        if (HasStarted) throw new InvalidOperationException("the response has started: its fields cannot change");
        if (name.Any(c => c is <= ' ' or ':' or >= (char)0x7F) || value.Any(c => c is '\r' or '\n' or '\0'))
            throw new ArgumentException($"not a valid header field: {name}");
        _fields.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>A whole body at once: its type and length, then its bytes.</summary>
    public Task WriteBodyAsync(string contentType, byte[] body, CancellationToken cancellationToken = default)
    {
        ContentType = contentType;
        ContentLength = body.Length;
        return WriteAsync(body, 0, body.Length, cancellationToken);
    }

    /// <summary>A whole body of text, sent as UTF-8.</summary>
    public Task WriteTextAsync(string contentType, string text, CancellationToken cancellationToken = default) =>
        WriteBodyAsync(contentType, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// The body will end before its Content-Length, with a plain close: the receiver gets every byte
    /// written and then sees the body end early (an abort's reset could drop bytes still on the way).
    /// </summary>
    public void EndShort()
    {
        KeepAlive = false;
        _endsShort = true;
    }

    private bool _endsShort;

    /// <summary>Resets the connection: the receiver sees a broken transfer.</summary>
    public void Abort()
    {
        KeepAlive = false;
        _connection.Abort();
    }

    internal async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        if (_connection.IsAborted) throw new IOException("the response was aborted");
        if (_contentLength is long max && _written + count > max) throw new InvalidOperationException($"the body is longer than its Content-Length ({max})");
        _written += count;
        var head = HasStarted ? null : Head(chunkedBody: _contentLength is null);
        if (_headOnly)
        {
            if (head is not null) await _connection.WriteAsync(head, 0, head.Length, cancellationToken).ConfigureAwait(false);
            return;
        }
        var prefix = _chunked ? Encoding.ASCII.GetBytes(count.ToString("x", CultureInfo.InvariantCulture) + "\r\n") : Array.Empty<byte>();
        var suffix = _chunked ? CrLf : Array.Empty<byte>();
        int framing = (head?.Length ?? 0) + prefix.Length + suffix.Length;
        if (count <= CombineLimit && framing > 0)
        {
            // One segment for small answers: the head, the chunk frame and the bytes together.
            var all = new byte[framing + count];
            int at = 0;
            foreach (var part in new[] { head ?? Array.Empty<byte>(), prefix })
            {
                Buffer.BlockCopy(part, 0, all, at, part.Length);
                at += part.Length;
            }
            Buffer.BlockCopy(buffer, offset, all, at, count);
            Buffer.BlockCopy(suffix, 0, all, at + count, suffix.Length);
            await _connection.WriteAsync(all, 0, all.Length, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (head is not null) await _connection.WriteAsync(head, 0, head.Length, cancellationToken).ConfigureAwait(false);
        if (prefix.Length > 0) await _connection.WriteAsync(prefix, 0, prefix.Length, cancellationToken).ConfigureAwait(false);
        await _connection.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        if (suffix.Length > 0) await _connection.WriteAsync(suffix, 0, suffix.Length, cancellationToken).ConfigureAwait(false);
    }

#if NET8_0_OR_GREATER
    /// <summary>Sends the next <paramref name="count"/> body bytes from a file (opened for asynchronous I/O) without copying them through a buffer; the body's length must be set.</summary>
    internal async Task SendFileAsync(FileStream file, long offset, int count)
    {
        if (count == 0) return;
        if (_contentLength is not long max) throw new InvalidOperationException("a body sent from a file needs its Content-Length");
        if (_connection.IsAborted) throw new IOException("the response was aborted");
        if (_written + count > max) throw new InvalidOperationException($"the body is longer than its Content-Length ({max})");
        _written += count;
        var head = HasStarted ? null : Head(chunkedBody: false);
        if (_headOnly)
        {
            if (head is not null) await _connection.WriteAsync(head, 0, head.Length).ConfigureAwait(false);
            return;
        }
        await _connection.SendFileAsync(head, file, offset, count).ConfigureAwait(false);
    }
#endif

    private static readonly byte[] CrLf = { (byte)'\r', (byte)'\n' };
    private static readonly byte[] LastChunk = Encoding.ASCII.GetBytes("0\r\n\r\n");

    /// <summary>Sends what is still owed after the handler ended; false when the connection cannot take another request.</summary>
    internal async Task<bool> FinishAsync()
    {
        if (_connection.IsAborted) return false;
        if (!HasStarted)
        {
            if (_contentLength is > 0 && !_headOnly)
            {
                Abort(); // a promised body never came
                return false;
            }
            var head = Head(chunkedBody: false);
            await _connection.WriteAsync(head, 0, head.Length).ConfigureAwait(false);
            return KeepAlive;
        }
        if (_chunked && !_headOnly) await _connection.WriteAsync(LastChunk, 0, LastChunk.Length).ConfigureAwait(false);
        else if (_contentLength is long length && _written < length && !_headOnly)
        {
            if (!_endsShort) Abort(); // cut short: the receiver must not take it for the whole body
            return false;
        }
        return KeepAlive;
    }

    /// <summary>A 101 answer for a WebSocket upgrade.</summary>
    internal Task SwitchProtocolsAsync(string accept)
    {
        _status = 101;
        KeepAlive = false;
        HasStarted = true;
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n");
        return _connection.WriteAsync(head, 0, head.Length);
    }

    private byte[] Head(bool chunkedBody)
    {
        HasStarted = true;
        var text = new StringBuilder(256);
        text.Append("HTTP/1.1 ").Append(_status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(StatusText.Reason(_status)).Append("\r\n");
        if (_status is not (204 or 304))
        {
            if (_contentLength is long length) text.Append("Content-Length: ").Append(length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            else if (chunkedBody && !_headOnly)
            {
                _chunked = true;
                text.Append("Transfer-Encoding: chunked\r\n");
            }
            else if (!_headOnly) text.Append("Content-Length: 0\r\n");
        }
        if (ContentType is { } type) text.Append("Content-Type: ").Append(type).Append("\r\n");
        foreach (var field in _fields) text.Append(field.Key).Append(": ").Append(field.Value).Append("\r\n");
        if (!KeepAlive) text.Append("Connection: close\r\n");
        text.Append("\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private sealed class ResponseBody : Stream
    {
        private readonly ServerResponse _response;

        public ResponseBody(ServerResponse response) => _response = response;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _response.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) =>
            _response.WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
