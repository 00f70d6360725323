using System.Globalization;
using System.Text;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>
/// The status line and the few fields of an answer to a chunk request that matter: the status, the
/// body's length, whether the connection stays open. Strict: anything else than a plain answer of
/// known length (a body in chunks, conflicting lengths) is refused, the way <see cref="Http.RequestHead"/> is.
/// </summary>
internal sealed class ResponseHead
{
    /// <summary>The largest head accepted from a source.</summary>
    public const int MaxLength = 16 * 1024;

    private ResponseHead(int status, long? contentLength, bool keepAlive)
    {
        StatusCode = status;
        ContentLength = contentLength;
        KeepAlive = keepAlive;
    }

    public int StatusCode { get; }

    /// <summary>The body's length; null when the body runs until the source closes.</summary>
    public long? ContentLength { get; }

    /// <summary>True when the connection can carry the next request after this body.</summary>
    public bool KeepAlive { get; }

    /// <summary>
    /// Parses a head from the start of <paramref name="data"/>: false while it is incomplete,
    /// else the head (null when malformed, with the reason) and the bytes it took.
    /// </summary>
    public static bool TryParse(ArraySegment<byte> data, out ResponseHead? head, out int length, out string? error)
    {
        head = null;
        error = null;
        length = Http.RequestHead.EndOf(data);
        if (length < 0) return false;
        var text = Encoding.ASCII.GetString(data.Array!, data.Offset, length);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        head = Build(lines, out error);
        return true;
    }

    private static ResponseHead? Build(List<string> lines, out string? error)
    {
        error = "malformed answer";
        if (lines.Count == 0) return null;
        var status = lines[0].Split(new[] { ' ' }, 3);
        if (status.Length < 2 || status[0] is not ("HTTP/1.1" or "HTTP/1.0")) return null;
        if (status[1].Length != 3 || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code)) return null;
        bool keepAlive = status[0] == "HTTP/1.1";
        long? contentLength = null;
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) return null;
            var name = line.Substring(0, colon).Trim();
            var value = line.Substring(colon + 1).Trim(' ', '\t');
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) || contentLength is long other && other != parsed) return null;
                contentLength = parsed;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                error = "the source sent a body in chunks, which chunk transfers never use";
                return null;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(','))
                {
                    var t = token.Trim();
                    if (t.Equals("close", StringComparison.OrdinalIgnoreCase)) keepAlive = false;
                    else if (t.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) && status[0] == "HTTP/1.0") keepAlive = true;
                }
            }
        }
        // Without a length the body ends when the source closes: the connection cannot be kept.
        if (contentLength is null) keepAlive = false;
        error = null;
        return new ResponseHead(code, contentLength, keepAlive);
    }
}
