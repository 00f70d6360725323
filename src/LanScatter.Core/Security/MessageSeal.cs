using System.Security.Cryptography;
using System.Text;
using LanScatter.Core.Protocol;

namespace LanScatter.Core.Security;

/// <summary>
/// One direction of a sealed control channel: each message goes as "MAC.json", MAC = HMAC(session
/// key, sequence number ‖ json) in URL-safe base64. The sequence number is not sent: both sides
/// count, so a dropped, repeated or reordered message fails the check like an altered one. Not
/// thread-safe; the channel calls it under its send lock or from its one receiver.
/// </summary>
internal sealed class MessageSeal : IDisposable
{
    /// <summary>Bytes a seal adds to a message.</summary>
    public const int Overhead = MacChars + 1;
    private const int MacChars = 43;

    private readonly HMACSHA256 _hmac;
    private long _sequence;

    public MessageSeal(byte[] key) => _hmac = new HMACSHA256(key);

    public byte[] Seal(byte[] json)
    {
        var mac = Encoding.ASCII.GetBytes(Compute(json, 0, json.Length));
        var frame = new byte[Overhead + json.Length];
        Buffer.BlockCopy(mac, 0, frame, 0, MacChars);
        frame[MacChars] = (byte)'.';
        Buffer.BlockCopy(json, 0, frame, Overhead, json.Length);
        return frame;
    }

    /// <summary>The message inside a sealed frame; a frame that fails the check is a fatal protocol error.</summary>
    public byte[] Open(byte[] frame)
    {
        if (frame.Length < Overhead || frame[MacChars] != (byte)'.')
            throw new ProtocolException("an unsealed message on a sealed session (the swarm secret protects every message after joining)", fatal: true);
        var expected = Compute(frame, Overhead, frame.Length - Overhead);
        if (!Mac.FixedTimeEquals(Encoding.ASCII.GetString(frame, 0, MacChars), expected))
            throw new ProtocolException("a message failed its authentication check (altered, replayed or out of order)", fatal: true);
        var json = new byte[frame.Length - Overhead];
        Buffer.BlockCopy(frame, Overhead, json, 0, json.Length);
        return json;
    }

    private string Compute(byte[] buffer, int offset, int count)
    {
        var input = new byte[8 + count];
        long sequence = _sequence++;
        for (int i = 0; i < 8; i++) input[i] = (byte)(sequence >> (56 - 8 * i));
        Buffer.BlockCopy(buffer, offset, input, 8, count);
        return SwarmSecret.Base64Url(_hmac.ComputeHash(input), 32);
    }

    public void Dispose() => _hmac.Dispose();
}
