namespace LanScatter.Core.Transport.Http;

/// <summary>
/// A parsed request line and header fields (RFC 9112), strict where leniency has been an attack
/// (folded lines, space before the colon, conflicting lengths, request bodies in chunks), lenient
/// where clients differ harmlessly (bare LF line ends, empty lines before a request).
/// </summary>
internal sealed class RequestHead
{
    /// <summary>The largest head accepted; beyond it the answer is 431.</summary>
    public const int MaxLength = 32 * 1024;

    private const int MaxFields = 100;

    private RequestHead(string method, string target, bool http11, HeaderFields headers, long? contentLength)
    {
        Method = method;
        Target = target;
        int query = target.IndexOf('?');
        Path = query < 0 ? target : target.Substring(0, query);
        Http11 = http11;
        Headers = headers;
        ContentLength = contentLength;
    }

    public string Method { get; }

    /// <summary>The request target as sent (path and query), which request signatures cover.</summary>
    public string Target { get; }

    /// <summary>The target's path, not decoded: routes and chunk ids are plain ASCII.</summary>
    public string Path { get; }

    public bool Http11 { get; }

    public HeaderFields Headers { get; }

    public long? ContentLength { get; }

    /// <summary>HTTP/1.1 keeps the connection unless asked to close; HTTP/1.0 gets one request a connection.</summary>
    public bool KeepAlive => Http11 && !Headers.HasToken("Connection", "close");

    /// <summary>
    /// Parses a head from <paramref name="data"/>. Complete: <paramref name="length"/> is the bytes it took.
    /// Incomplete: more bytes are needed. Otherwise <paramref name="status"/> is the error to answer.
    /// </summary>
    public static bool TryParse(ArraySegment<byte> data, out RequestHead? head, out int length, out int status)
    {
        head = null;
        status = 0;
        length = EndOf(data);
        if (length < 0) return false;
        var lines = new List<string>();
        int start = data.Offset, end = data.Offset + length;
        for (int i = start; i < end; i++)
        {
            if (data.Array![i] != (byte)'\n') continue;
            int stop = i > start && data.Array[i - 1] == (byte)'\r' ? i - 1 : i;
            lines.Add(Latin1(data.Array, start, stop - start));
            start = i + 1;
        }
        head = Build(lines, out status);
        return true;
    }

    /// <summary>Bytes up to and including the empty line that ends a head (a request's or an answer's), or -1 when it has not arrived.</summary>
    internal static int EndOf(ArraySegment<byte> data)
    {
        var a = data.Array!;
        int last = data.Offset + data.Count;
        for (int i = data.Offset; i < last; i++)
        {
            if (a[i] != (byte)'\n') continue;
            if (i + 1 < last && a[i + 1] == (byte)'\n') return i + 2 - data.Offset;
            if (i + 2 < last && a[i + 1] == (byte)'\r' && a[i + 2] == (byte)'\n') return i + 3 - data.Offset;
        }
        return -1;
    }

    private static RequestHead? Build(List<string> lines, out int status)
    {
        status = 400;
        if (lines.Count < 1 || lines.Count > MaxFields + 2) return null; // the request line, the fields, the empty line
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !IsToken(parts[0])) return null;
        var target = OriginForm(parts[1]);
        if (target is null) return null;
        bool http11;
        if (parts[2] == "HTTP/1.1") http11 = true;
        else if (parts[2] == "HTTP/1.0") http11 = false;
        else
        {
            if (parts[2].StartsWith("HTTP/", StringComparison.Ordinal)) status = 505;
            return null;
        }

        var headers = new HeaderFields();
        for (int i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue; // the final empty line
            int colon = line.IndexOf(':');
            // No name, space before the colon, or a folded continuation line: refused (RFC 9112 5.1, 5.2).
            if (colon <= 0 || !IsToken(line.Substring(0, colon))) return null;
            var value = line.Substring(colon + 1).Trim(' ', '\t');
            if (!IsFieldValue(value)) return null;
            headers.Add(line.Substring(0, colon), value);
        }

        // Request bodies come with a length; chunked ones are refused rather than half supported.
        if (headers["Transfer-Encoding"] is not null) { status = 501; return null; }
        long? contentLength = null;
        if (headers["Content-Length"] is { } text)
        {
            if (text.Length is 0 or > 18 || text.Any(c => c is < '0' or > '9')) return null;
            contentLength = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
        status = 0;
        return new RequestHead(parts[0], target, http11, headers, contentLength);
    }

    // The path and query of a target in origin form ("/p?q"), or of one in absolute form ("http://h/p?q").
    private static string? OriginForm(string target)
    {
        if (target.Length == 0 || target.Any(c => c is <= ' ' or >= (char)0x7F)) return null;
        if (target[0] == '/') return target;
        if (!target.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) return null;
        int slash = target.IndexOf('/', "http://".Length);
        return slash < 0 ? "/" : target.Substring(slash);
    }

    private static bool IsToken(string text)
    {
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsFieldValue(string text)
    {
        foreach (char c in text)
        {
            if (c < ' ' && c != '\t' || c == (char)0x7F) return false;
        }
        return true;
    }

    private static string Latin1(byte[] bytes, int offset, int count)
    {
        var chars = new char[count];
        for (int i = 0; i < count; i++) chars[i] = (char)bytes[offset + i];
        return new string(chars);
    }
}
