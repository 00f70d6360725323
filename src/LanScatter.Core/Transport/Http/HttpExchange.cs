using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace LanScatter.Core.Transport.Http;

/// <summary>A request and its response on one connection; a WebSocket upgrade takes the connection over.</summary>
internal sealed class HttpExchange
{
    /// <summary>Appended to a client's key for the accept value (RFC 6455 1.3).</summary>
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly ConnectionStream _connection;

    public HttpExchange(RequestHead head, ConnectionStream connection, IPAddress remoteAddress)
    {
        _connection = connection;
        var body = new RequestBody(connection, head.ContentLength ?? 0, head.Headers.HasToken("Expect", "100-continue"));
        Request = new ServerRequest(head, body, remoteAddress);
        Response = new ServerResponse(connection, headOnly: head.Method == "HEAD", keepAlive: head.KeepAlive);
    }

    public ServerRequest Request { get; }

    public ServerResponse Response { get; }

    /// <summary>True once a WebSocket owns the connection: no further request is read from it.</summary>
    public bool IsUpgraded { get; private set; }

    /// <summary>Answers 101 and returns the server side of the WebSocket; null (after a 400 answer) when the request is not a valid upgrade.</summary>
    public async Task<WebSocket?> AcceptWebSocketAsync()
    {
        var key = Request.Headers["Sec-WebSocket-Key"];
        if (!Request.IsWebSocketRequest || Request.Method != "GET" || Request.Headers["Sec-WebSocket-Version"] != "13" || !IsKey(key))
        {
            Response.StatusCode = 400;
            return null;
        }
        string accept;
        using (var sha1 = SHA1.Create()) accept = Convert.ToBase64String(sha1.ComputeHash(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        await Response.SwitchProtocolsAsync(accept).ConfigureAwait(false);
        IsUpgraded = true;
#if NET
        return WebSocket.CreateFromStream(_connection, isServer: true, subProtocol: null, WebSocket.DefaultKeepAliveInterval);
#else
        return WebSocketProtocol.CreateFromStream(_connection, isServer: true, subProtocol: null, WebSocket.DefaultKeepAliveInterval);
#endif
    }

    // 16 random bytes in base64 (RFC 6455 4.1).
    private static bool IsKey(string? key)
    {
        if (key is not { Length: 24 }) return false;
        try
        {
            return Convert.FromBase64String(key).Length == 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
