using System.Threading.Channels;
using LanScatter.Core.Protocol;
using LanScatter.Core.Transport;

namespace LanScatter.Core.Nodes;

/// <summary>The master's side of one peer connection. Messages to the peer go through a queue so a slow peer never blocks the master's loop.</summary>
internal sealed class PeerSession
{
    private readonly Channel<Message> _outbox = System.Threading.Channels.Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });

    public PeerSession(ControlChannel channel, string remoteAddress)
    {
        Channel = channel;
        RemoteAddress = remoteAddress;
    }

    public ControlChannel Channel { get; }
    public string RemoteAddress { get; }

    /// <summary>The loop has taken the hello (admission under way or done).</summary>
    public bool Admitted { get; set; }
    public bool Joined { get; set; }
    public bool Closed { get; set; }

    /// <summary>The peer said it is leaving: it takes no new uploads, and those it was serving may end after it has gone.</summary>
    public bool Leaving { get; set; }
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public int Node { get; set; } = -1;
    public int MaxDownloads { get; set; }

    /// <summary>The parts of a full 'have' received so far, while more are to come (loop only).</summary>
    public FullHaveParts? FullHave { get; set; }

    /// <summary>The peer has applied the current manifest (its full 'have' came): it may be sent fetches.</summary>
    public bool Ready { get; set; }
    public int MaxUploads { get; set; }
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public bool InSync { get; set; }

    /// <summary>The latest status report: the peer's rates, its limits and when it was heard from.</summary>
    public StatusMessage? LastStatus { get; set; }

    /// <summary>Transfers to this peer that failed, those with bytes that did not match, and the last one's error (loop only).</summary>
    public int TransfersFailed { get; set; }
    public int HashMismatches { get; set; }
    public string? LastTransferError { get; set; }
    public DateTime LastSeenUtc { get; set; } = DateTime.UtcNow;

    /// <summary>The peer's chunk URL base, e.g. http://10.0.0.5:10565 (IPv6 in brackets).</summary>
    public string BaseUrl => Address.Contains(':') ? $"http://[{Address}]:{Port}" : $"http://{Address}:{Port}";

    public void Send(Message message) => _outbox.Writer.TryWrite(message);

    public void CompleteOutbox() => _outbox.Writer.TryComplete();

    /// <summary>Sends queued messages until the queue completes or the socket fails.</summary>
    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_outbox.Reader.TryRead(out var message))
                {
                    await Channel.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    if (message is ErrorMessage { Fatal: true })
                    {
                        await Channel.CloseAsync(((ErrorMessage)message).Message, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }
}

/// <summary>A full 'have' being received in parts: chunk ids held, and ids the peer will not fetch.</summary>
internal sealed class FullHaveParts
{
    public List<string> Chunks { get; } = new();
    public List<string> Skip { get; } = new();
}
