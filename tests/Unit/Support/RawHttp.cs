using System.Net.Sockets;
using System.Text;

namespace LanScatter.Tests.Support;

/// <summary>Reading what a server sends on a raw connection, for tests that write requests byte by byte.</summary>
internal static class RawHttp
{
    /// <summary>What the server sent until it closed the connection ("" for nothing), or null when it was still open after <paramref name="limit"/>.</summary>
    public static async Task<string?> ReadToEndAsync(NetworkStream stream, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0) text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            // reset: closed all the same
        }
        return text.ToString();
    }
}
