using System.Text;
using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Nodes.Dashboard;

/// <summary>
/// The status page (<c>index.html</c>, embedded in the assembly: HTML, CSS and script in one file,
/// nothing fetched from elsewhere) and the stream of swarm documents it listens to.
/// </summary>
internal static class DashboardPage
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("LanScatter.Dashboard.html")
            ?? throw new InvalidOperationException("the status page is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>How often the event stream sends the swarm document.</summary>
    internal static TimeSpan EventInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static async Task WritePageAsync(HttpExchange context, CancellationToken cancellationToken)
    {
        // The page runs no script from elsewhere and talks to this node only.
        context.Response.SetHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:");
        context.Response.SetHeader("Cache-Control", "no-store");
        await context.Response.WriteBodyAsync("text/html; charset=utf-8", Page.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Server-sent events: the document from <paramref name="json"/> once a second until the page goes away or the node stops.</summary>
    public static async Task StreamAsync(HttpExchange context, Func<string> json, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.SetHeader("Cache-Control", "no-store");
        var output = context.Response.OutputStream;
        try
        {
            var hello = Encoding.UTF8.GetBytes("retry: 2000\n\n");
            await output.WriteAsync(hello, 0, hello.Length, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                // Compact JSON has no line breaks, so one "data:" line carries the whole document.
                var message = Encoding.UTF8.GetBytes("data: " + json() + "\n\n");
                await output.WriteAsync(message, 0, message.Length, cancellationToken).ConfigureAwait(false);
                await Task.Delay(EventInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The page closed, or the node is stopping.
        }
        context.Response.Abort(); // an endless answer has no proper end: close the connection
    }
}
