using System.Text;
using LanScatter.Core.Transport.Chunks;

namespace LanScatter.Tests.Transport;

/// <summary>The chunk client reads only plain answers of known length; anything else is refused with its reason.</summary>
public class ResponseHeadTests
{
    private static (bool Complete, ResponseHead? Head, int Length, string? Error) Parse(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bool complete = ResponseHead.TryParse(new ArraySegment<byte>(bytes), out var head, out int length, out var error);
        return (complete, head, length, error);
    }

    [Fact]
    public void An_answer_with_a_length_keeps_the_connection_and_says_where_the_body_starts()
    {
        var (complete, head, length, _) = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/octet-stream\r\n\r\nhello");
        Assert.True(complete);
        Assert.Equal(200, head!.StatusCode);
        Assert.Equal(5, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal("hello", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/octet-stream\r\n\r\nhello".Substring(length));
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n")]
    public void The_connection_is_not_kept_when_closed_by_the_source_HTTP_1_0_or_a_body_without_length(string text)
    {
        var (complete, head, _, _) = Parse(text);
        Assert.True(complete);
        Assert.False(head!.KeepAlive);
    }

    [Fact]
    public void A_head_still_arriving_is_incomplete()
    {
        Assert.False(Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n").Complete);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "in chunks")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "malformed")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "malformed")]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n", "malformed")]
    public void Answers_the_client_does_not_read_are_refused_with_the_reason(string text, string reason)
    {
        var (complete, head, _, error) = Parse(text);
        Assert.True(complete);
        Assert.Null(head);
        Assert.Contains(reason, error);
    }
}
