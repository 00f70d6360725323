using System.Text;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Transport;

/// <summary>Reads a small request body as UTF-8 text, refusing (null) one longer than a limit instead of buffering it.</summary>
internal static class BoundedBody
{
    public static async Task<string?> ReadAsync(ServerRequest request, int maxBytes)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new byte[maxBytes + 1];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await request.InputStream.ReadAsync(buffer, total, buffer.Length - total).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total > maxBytes ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}
