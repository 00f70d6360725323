using LanScatter.Core.Nodes;

namespace LanScatter.Tests.Nodes;

public class ActiveFetchTests
{
    [Fact]
    public void Cancelling_a_fetch_that_already_ended_does_nothing()
    {
        var fetch = new ActiveFetch(CancellationToken.None);
        var token = fetch.Token;
        fetch.Dispose();
        fetch.Cancel(); // a stop or an abort arriving just after the fetch ended
        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public void Stopping_the_node_cancels_a_running_fetch()
    {
        using var stopping = new CancellationTokenSource();
        using var fetch = new ActiveFetch(stopping.Token);
        stopping.Cancel();
        Assert.True(fetch.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Cancel_racing_the_end_of_the_fetch_never_throws()
    {
        for (int i = 0; i < 2000; i++)
        {
            var fetch = new ActiveFetch(CancellationToken.None);
            using var go = new Barrier(2);
            var cancel = Task.Run(() => { go.SignalAndWait(); fetch.Cancel(); });
            var end = Task.Run(() => { go.SignalAndWait(); fetch.Dispose(); });
            await Task.WhenAll(cancel, end);
        }
    }

    [Fact]
    public void Bytes_add_up_from_the_receiving_callback()
    {
        using var fetch = new ActiveFetch(CancellationToken.None);
        fetch.AddBytes(1000);
        fetch.AddBytes(24);
        Assert.Equal(1024, fetch.Bytes);
    }
}
