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
}
