namespace LanScatter.Core.Transport.Http;

/// <summary>Reason phrases for the status codes the nodes send, and the short answers the server gives on its own.</summary>
internal static class StatusText
{
    public static string Reason(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };

    /// <summary>A complete answer with no body that closes the connection (nothing of the request is repeated in it).</summary>
    public static byte[] Closing(int status) =>
        System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}
