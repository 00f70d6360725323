namespace LanScatter.Cli;

/// <summary>Parses HOST, HOST:PORT, [IPv6] and [IPv6]:PORT.</summary>
internal static class HostPort
{
    public static (string Host, int Port) Parse(string text, int defaultPort)
    {
        var s = text.Trim();
        if (s.Length == 0) throw new UsageException("the master's address is empty");
        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            int close = s.IndexOf(']');
            if (close < 0) throw new UsageException($"'{text}': missing ']'");
            var host = s.Substring(1, close - 1);
            var rest = s.Substring(close + 1);
            if (rest.Length == 0) return (host, defaultPort);
            if (!rest.StartsWith(":", StringComparison.Ordinal)) throw new UsageException($"'{text}' is not HOST[:PORT]");
            return (host, ParsePort(rest.Substring(1), text));
        }
        int colon = s.LastIndexOf(':');
        if (colon < 0 || s.IndexOf(':') != colon) return (s, defaultPort); // a bare IPv6 address has several colons
        return (s.Substring(0, colon), ParsePort(s.Substring(colon + 1), text));
    }

    public static int ParsePort(string text, string context)
    {
        if (!int.TryParse(text, out var port) || port is < 1 or > 65535) throw new UsageException($"'{context}': the port must be 1 to 65535");
        return port;
    }
}
