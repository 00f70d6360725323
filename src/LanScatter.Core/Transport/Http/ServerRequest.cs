using System.Net;

namespace LanScatter.Core.Transport.Http;

/// <summary>One request as a handler sees it: its head, its body, and who sent it.</summary>
internal sealed class ServerRequest
{
    private readonly RequestHead _head;

    public ServerRequest(RequestHead head, RequestBody body, IPAddress remoteAddress)
    {
        _head = head;
        InputStream = body;
        RemoteAddress = remoteAddress;
    }

    public string Method => _head.Method;

    /// <summary>The target as sent: the path and query that request signatures cover.</summary>
    public string Target => _head.Target;

    public string Path => _head.Path;

    public HeaderFields Headers => _head.Headers;

    public long? ContentLength => _head.ContentLength;

    public RequestBody InputStream { get; }

    /// <summary>The client's address (IPv4-mapped IPv6 addresses as IPv4).</summary>
    public IPAddress RemoteAddress { get; }

    public bool IsWebSocketRequest => Headers.HasToken("Connection", "upgrade") && Headers.HasToken("Upgrade", "websocket");
}
