using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Nodes;

/// <summary>Parses what users type for a node: HOST, HOST:PORT, [IPv6] and [IPv6]:PORT.</summary>
public static class HostAddress
{
    /// <summary>The host and port; a bad address is a <see cref="LanScatterException"/> (InvalidAddress) naming it.</summary>
    public static (string Host, int Port) Parse(string text, int defaultPort)
    {
        var s = (text ?? "").Trim();
        if (s.Length == 0) throw Invalid(text, "the address is empty");
        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            int close = s.IndexOf(']');
            if (close < 0) throw Invalid(text, "missing ']'");
            var host = s.Substring(1, close - 1);
            var rest = s.Substring(close + 1);
            if (rest.Length == 0) return (host, defaultPort);
            if (!rest.StartsWith(":", StringComparison.Ordinal)) throw Invalid(text, "expected HOST[:PORT]");
            return (host, ParsePort(rest.Substring(1), text));
        }
        int colon = s.LastIndexOf(':');
        if (colon < 0 || s.IndexOf(':') != colon) return (s, defaultPort); // a bare IPv6 address has several colons
        if (colon == 0) throw Invalid(text, "the host is missing");
        return (s.Substring(0, colon), ParsePort(s.Substring(colon + 1), text));
    }

    /// <summary>HOST:PORT as users write it ([IPv6]:PORT for IPv6 addresses).</summary>
    public static string Format(string host, int port) =>
        (host.Contains(':') && !host.StartsWith("[", StringComparison.Ordinal) ? $"[{host}]" : host) + ":" + port;

    private static int ParsePort(string text, string? context)
    {
        if (!int.TryParse(text, out var port) || port is < 1 or > 65535) throw Invalid(context, "the port must be 1 to 65535");
        return port;
    }

    private static LanScatterException Invalid(string? text, string why) => new("InvalidAddress", $"'{text}': {why}");
}
