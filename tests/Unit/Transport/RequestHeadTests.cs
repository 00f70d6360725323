using System.Text;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Tests.Transport;

/// <summary>The request head parser: what it takes, and the status it answers to what it refuses.</summary>
public class RequestHeadTests
{
    private static (RequestHead? Head, int Length, int Status, bool Complete) Parse(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        bool complete = RequestHead.TryParse(new ArraySegment<byte>(bytes), out var head, out int length, out int status);
        return (head, length, status, complete);
    }

    [Fact]
    public void A_plain_request_gives_method_target_path_fields_and_the_length_of_its_head()
    {
        var text = "GET /chunks/ab?x=1 HTTP/1.1\r\nHost: h\r\nauthorization:  Bearer t \r\nX-A: 1\r\nX-a: 2\r\n\r\nBODY";
        var (head, length, _, complete) = Parse(text);
        Assert.True(complete);
        Assert.Equal(text.Length - 4, length);
        Assert.Equal("GET", head!.Method);
        Assert.Equal("/chunks/ab?x=1", head.Target);
        Assert.Equal("/chunks/ab", head.Path);
        Assert.Equal("Bearer t", head.Headers["Authorization"]);
        Assert.Equal("1, 2", head.Headers["x-a"]);
        Assert.True(head.KeepAlive);
    }

    [Fact]
    public void Bare_LF_line_ends_and_an_absolute_target_are_taken()
    {
        var (head, _, _, complete) = Parse("POST http://host:1/api/limits HTTP/1.0\nContent-Length: 12\nConnection: keep-alive\n\n");
        Assert.True(complete);
        Assert.Equal("/api/limits", head!.Path);
        Assert.Equal(12, head.ContentLength);
        Assert.False(head.KeepAlive); // HTTP/1.0: one request a connection
    }

    [Fact]
    public void A_head_without_its_empty_line_is_incomplete()
    {
        Assert.False(Parse("GET / HTTP/1.1\r\nHost: h\r\n").Complete);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nX-A : 1\r\n\r\n", 400)] // space before the colon
    [InlineData("GET / HTTP/1.1\r\nX-A: 1\r\n continued\r\n\r\n", 400)] // a folded line
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    [InlineData("GET / HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET / FTP/1.0\r\n\r\n", 400)]
    [InlineData("GET  / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("G(T / HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET * HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /a\u00ff HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nX-A: a\u0001b\r\n\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400)]
    public void A_malformed_head_is_refused_with_the_right_status(string text, int expected)
    {
        var (head, _, status, complete) = Parse(text);
        Assert.True(complete);
        Assert.Null(head);
        Assert.Equal(expected, status);
    }

    [Fact]
    public void More_than_a_hundred_fields_are_refused()
    {
        var text = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"X-{i}: v\r\n")) + "\r\n";
        Assert.Null(Parse(text).Head);
    }
}
