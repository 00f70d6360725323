using System.Text;
using System.Text.Json;
using LanScatter.Core.Transport;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Tests.Support;

/// <summary>Nodes a test plays itself on loopback, to send what a real node never would.</summary>
internal static class PlayedNodes
{
    /// <summary>Answers the master's address check (<c>/api/status</c>) the way a real peer with this id would.</summary>
    public static HttpServer StatusEndpoint(string peerId) => HttpServer.Start("127.0.0.1", 0, async (ctx, ct) =>
    {
        var body = Encoding.UTF8.GetBytes($$"""{"role":"peer","peerId":"{{peerId}}"}""");
        ctx.Response.ContentType = "application/json";
        await ctx.Response.OutputStream.WriteAsync(body, ct);
    });

    /// <summary>A welcome carrying <paramref name="manifestJson"/> as version 1.</summary>
    public static string Welcome(string manifestJson, string epoch = "e") =>
        $$"""{"type":"welcome","epoch":"{{epoch}}","peerId":"p","manifestVersion":1,"manifest":{{JsonSerializer.Serialize(manifestJson)}}}""";

    /// <summary>
    /// A master that takes a peer's control connection, reads its hello, sends <paramref name="opening"/>
    /// and hands the peer's answer (null when it closed) to <paramref name="replied"/>.
    /// </summary>
    public static HttpServer Master(string opening, Action<string?>? replied = null) => HttpServer.Start("127.0.0.1", 0, async (ctx, ct) =>
    {
        if (!ctx.Request.IsWebSocketRequest) { ctx.Response.StatusCode = 404; return; }
        using var channel = new ControlChannel((await ctx.AcceptWebSocketAsync())!);
        await channel.ReceiveRawAsync(ct); // the hello
        await channel.SendRawAsync(Encoding.UTF8.GetBytes(opening), ct);
        var reply = await channel.ReceiveRawAsync(ct);
        replied?.Invoke(reply is null ? null : Encoding.UTF8.GetString(reply));
    });
}
