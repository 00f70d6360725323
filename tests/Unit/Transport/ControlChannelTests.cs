using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using LanScatter.Core.Transport;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Transport;

public class ControlChannelTests
{
    /// <summary>A socket whose sends hang until it is disposed, as a send to a vanished master can.</summary>
    private sealed class StallingSocket : WebSocket
    {
        private readonly TaskCompletionSource<bool> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => _disposed.Task.IsCompleted ? WebSocketState.Aborted : WebSocketState.Open;
        public override string? SubProtocol => null;
        public override void Abort() => _disposed.TrySetResult(true);
        public override Task CloseAsync(WebSocketCloseStatus s, string? d, CancellationToken c) => Task.CompletedTask;
        public override Task CloseOutputAsync(WebSocketCloseStatus s, string? d, CancellationToken c) => Task.CompletedTask;
        public override void Dispose() => _disposed.TrySetResult(true);
        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> b, CancellationToken c) => new TaskCompletionSource<WebSocketReceiveResult>().Task;

        public override async Task SendAsync(ArraySegment<byte> b, WebSocketMessageType t, bool end, CancellationToken c)
        {
            await _disposed.Task;
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }
    }

    [Fact]
    public async Task Senders_queued_behind_a_stalled_send_fail_at_once_when_the_channel_is_disposed_instead_of_waiting_for_ever()
    {
        var channel = new ControlChannel(new StallingSocket());
        var first = channel.SendRawAsync(new byte[] { 1 }, CancellationToken.None);
        var queued = channel.SendRawAsync(new byte[] { 2 }, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(queued.IsCompleted);

        channel.Dispose();

        await Assert.ThrowsAsync<WebSocketException>(() => first.Within(5));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.Within(5));
    }

    // Two ends of a real WebSocket over loopback TCP.
    private static async Task<(ControlChannel Sender, ControlChannel Receiver, IDisposable Sockets)> PairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        listener.Stop();
        var sender = new ControlChannel(WebSocket.CreateFromStream(client.GetStream(), false, null, TimeSpan.Zero));
        var receiver = new ControlChannel(WebSocket.CreateFromStream(server.GetStream(), true, null, TimeSpan.Zero));
        return (sender, receiver, new Both(client, server));
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task Messages_arrive_whole_and_apart_whether_they_fit_one_read_or_span_several()
    {
        var (sender, receiver, sockets) = await PairAsync();
        using (sockets)
        using (sender)
        using (receiver)
        {
            // Text messages (the socket checks UTF-8); the second is over three reads of the receive buffer.
            static byte[] Text(int length, int seed) => TestData.Random(length, seed).Select(b => (byte)('a' + b % 26)).ToArray();
            var messages = new[] { Text(10, 1), Text(200_000, 7), Text(3, 2), Text(65_536, 3), Text(1, 4) };
            foreach (var m in messages) await sender.SendRawAsync(m, CancellationToken.None).Within(10);
            foreach (var m in messages) Assert.Equal(m, await receiver.ReceiveRawAsync(CancellationToken.None).Within(10));
        }
    }
}
