using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LanScatter.Core.Protocol;

/// <summary>
/// Turns control messages into JSON text and back. Reading checks size, JSON syntax and the
/// "type" before anything else looks at a message, and says exactly what is wrong.
/// </summary>
internal static class MessageCodec
{
    /// <summary>The protocol version this build speaks.</summary>
    // 2: the join exchange and sealed sessions of the swarm secret. 3: bundles of small chunks.
    // 4: a full 'have' in parts. 5: a manifest sent by reference comes compact and in pieces.
    public const int ProtocolVersion = 5;

    /// <summary>Largest control message accepted (a list of chunk ids goes in parts well below it).</summary>
    public const int MaxMessageBytes = 16 << 20;

    private static readonly Dictionary<string, JsonTypeInfo> Types = new(StringComparer.Ordinal)
    {
        ["hello"] = ProtocolJsonContext.Default.HelloMessage,
        ["challenge"] = ProtocolJsonContext.Default.ChallengeMessage,
        ["auth"] = ProtocolJsonContext.Default.AuthMessage,
        ["welcome"] = ProtocolJsonContext.Default.WelcomeMessage,
        ["manifest-delta"] = ProtocolJsonContext.Default.ManifestDeltaMessage,
        ["fetch"] = ProtocolJsonContext.Default.FetchMessage,
        ["abort"] = ProtocolJsonContext.Default.AbortMessage,
        ["have"] = ProtocolJsonContext.Default.HaveMessage,
        ["lost"] = ProtocolJsonContext.Default.LostMessage,
        ["transfer"] = ProtocolJsonContext.Default.TransferMessage,
        ["status"] = ProtocolJsonContext.Default.StatusMessage,
        ["leaving"] = ProtocolJsonContext.Default.LeavingMessage,
        ["limits"] = ProtocolJsonContext.Default.LimitsMessage,
        ["error"] = ProtocolJsonContext.Default.ErrorMessage,
    };

    private static readonly Dictionary<Type, string> Names = Types.ToDictionary(kv => kv.Value.Type, kv => kv.Key);

    public static string Encode(Message message)
    {
        message.Type = Names[message.GetType()];
        return JsonSerializer.Serialize(message, Types[message.Type]);
    }

    public static Message Decode(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxMessageBytes) throw new ProtocolException($"message of {utf8.Length} bytes exceeds the limit of {MaxMessageBytes}", fatal: true);
        string? type;
        try
        {
            using var doc = JsonDocument.Parse(utf8.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ProtocolException("a message must be a JSON object", fatal: false);
            if (!doc.RootElement.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                throw new ProtocolException("the message has no \"type\"", fatal: false);
            type = t.GetString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-16 once unescaped (a lone surrogate, found by fuzzing).
            throw new ProtocolException($"the message is not valid JSON ({ex.Message})", fatal: false, ex);
        }
        if (type is null || !Types.TryGetValue(type, out var info)) throw new ProtocolException($"unknown message type '{type}'", fatal: false);
        try
        {
            var message = (Message?)JsonSerializer.Deserialize(utf8, info) ?? throw new ProtocolException("empty message", fatal: false);
            message.Type = type;
            return message;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new ProtocolException($"the '{type}' message is malformed ({ex.Message})", fatal: false, ex);
        }
    }

    public static Message Decode(string text) => Decode(Encoding.UTF8.GetBytes(text));
}
