using System.Net.WebSockets;
using System.Text;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;

namespace LanScatter.Core.Transport;

/// <summary>
/// Control messages over one WebSocket: whole text messages, one sender at a time, a size limit on
/// what is received. Receive returns null when the other side closed.
/// </summary>
internal sealed class ControlChannel : IDisposable
{
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    // Ends the wait of senders queued behind one that was sending when the channel went away. (Disposing
    // the semaphore instead made that sender's Release throw, and left those behind it waiting for ever.)
    private readonly CancellationTokenSource _disposed = new();

    private MessageSeal? _sendSeal, _receiveSeal;

    // A WebSocket takes one receive at a time, so one buffer serves every message (it was a new
    // 64 KiB array to clear, often in fresh memory, for every message received).
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];

    public ControlChannel(WebSocket socket) => _socket = socket;

    /// <summary>True once <see cref="Seal"/> was called: every message since is authenticated.</summary>
    public bool IsSealed => Volatile.Read(ref _receiveSeal) is not null;

    /// <summary>
    /// From now on every message sent is sealed and every message received must be (the join
    /// exchange is done). Called between messages: the peer sends nothing after its proof until it
    /// hears from the master, and the master seals before sending anything else.
    /// </summary>
    public void Seal(MessageSeal send, MessageSeal receive)
    {
        Volatile.Write(ref _receiveSeal, receive);
        Volatile.Write(ref _sendSeal, send);
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public async Task SendAsync(Message message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(MessageCodec.Encode(message));
        await SendRawAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends text as it is (tests use this to send malformed messages).</summary>
    public async Task SendRawAsync(byte[] utf8, CancellationToken cancellationToken)
    {
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token))
        {
            try
            {
                await _sendLock.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(ControlChannel), "the control channel is closed");
            }
        }
        try
        {
            // The lock can be handed over just as the channel closes, before the wait sees it: the same answer then.
            if (_disposed.IsCancellationRequested) throw new ObjectDisposedException(nameof(ControlChannel), "the control channel is closed");
            // Sealed under the lock: the sequence numbers must follow the order on the wire.
            if (Volatile.Read(ref _sendSeal) is { } seal) utf8 = seal.Seal(utf8);
            await _socket.SendAsync(new ArraySegment<byte>(utf8), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next message as raw UTF-8, or null when the channel closed. Oversized messages throw a fatal ProtocolException.</summary>
    public async Task<byte[]?> ReceiveRawAsync(CancellationToken cancellationToken)
    {
        // A message in one frame (nearly all) is copied out once; only longer ones are gathered.
        MemoryStream? gathered = null;
        try
        {
            while (true)
            {
                WebSocketReceiveResult result;
                try
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(_receiveBuffer), cancellationToken).ConfigureAwait(false);
                }
                catch (WebSocketException)
                {
                    return null;
                }
                if (result.MessageType == WebSocketMessageType.Close) return null;
                if ((gathered?.Length ?? 0) + result.Count > MessageCodec.MaxMessageBytes + MessageSeal.Overhead)
                    throw new ProtocolException($"message exceeds the limit of {MessageCodec.MaxMessageBytes} bytes", fatal: true);
                byte[] message;
                if (gathered is null && result.EndOfMessage) message = _receiveBuffer.AsSpan(0, result.Count).ToArray();
                else
                {
                    gathered ??= new MemoryStream();
                    gathered.Write(_receiveBuffer, 0, result.Count);
                    if (!result.EndOfMessage) continue;
                    message = gathered.ToArray();
                }
                return Volatile.Read(ref _receiveSeal) is { } seal ? seal.Open(message) : message;
            }
        }
        finally
        {
            gathered?.Dispose();
        }
    }

    public async Task<Message?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var raw = await ReceiveRawAsync(cancellationToken).ConfigureAwait(false);
        return raw is null ? null : MessageCodec.Decode(raw);
    }

    public async Task CloseAsync(string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                var text = reason.Length > 120 ? reason.Substring(0, 120) : reason;
                await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, text, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _socket.Dispose();
        // The seals are left to the collector: a sender may still hold the lock with one in use.
    }
}
