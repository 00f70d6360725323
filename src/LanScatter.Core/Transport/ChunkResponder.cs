using System.Net;
using LanScatter.Core.Manifest;
using LanScatter.Core.Throttling;

namespace LanScatter.Core.Transport;

/// <summary>
/// Serves <c>GET /chunks/{id}</c>: the id is looked up among chunks the node holds, never used as a
/// path; unknown ids get 404. Bytes go out through the node's upload limit.
/// </summary>
public static class ChunkResponder
{
    public const string Prefix = "/chunks/";

    public static async Task ServeAsync(HttpListenerContext context, Func<string, ChunkSource?> locate, TokenBucket upload, Action<long> sent, CancellationToken cancellationToken)
    {
        var id = context.Request.Url!.AbsolutePath.Substring(Prefix.Length);
        var response = context.Response;
        if (context.Request.HttpMethod != "GET") { response.StatusCode = 405; return; }
        if (!ChunkId.IsValid(id) || locate(id) is not { } source) { response.StatusCode = 404; return; }

        FileStream input;
        try
        {
            input = new FileStream(source.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            response.StatusCode = 404;
            return;
        }
        using (input)
        {
            input.Position = source.Offset;
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = source.Length;
            var buffer = new byte[64 * 1024];
            long left = source.Length;
            try
            {
                while (left > 0)
                {
                    int n = await input.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, left), cancellationToken).ConfigureAwait(false);
                    if (n == 0) break; // the file shrank: the receiver sees a short chunk and rejects it
                    await upload.WaitAsync(n, cancellationToken).ConfigureAwait(false);
                    await response.OutputStream.WriteAsync(buffer, 0, n, cancellationToken).ConfigureAwait(false);
                    sent(n);
                    left -= n;
                }
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The receiver went away (aborted transfer); nothing to do.
            }
        }
    }
}
