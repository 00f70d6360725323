using LanScatter.Core.Nodes;

namespace LanScatter.Tests.Nodes;

public class ActiveFetchTests
{
    [Fact]
    public void Cancelling_a_fetch_that_already_ended_does_nothing()
    {
        var fetch = new ActiveFetch(CancellationToken.None, DateTime.UtcNow);
        var token = fetch.Token;
        fetch.Dispose();
        fetch.Cancel(); // a stop or an abort arriving just after the fetch ended
        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public void Stopping_the_node_cancels_a_running_fetch()
    {
        using var stopping = new CancellationTokenSource();
        using var fetch = new ActiveFetch(stopping.Token, DateTime.UtcNow);
        stopping.Cancel();
        Assert.True(fetch.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Cancel_racing_the_end_of_the_fetch_never_throws()
    {
        for (int i = 0; i < 2000; i++)
        {
            var fetch = new ActiveFetch(CancellationToken.None, DateTime.UtcNow);
            using var go = new Barrier(2);
            var cancel = Task.Run(() => { go.SignalAndWait(); fetch.Cancel(); });
            var end = Task.Run(() => { go.SignalAndWait(); fetch.Dispose(); });
            await Task.WhenAll(cancel, end);
        }
    }

    [Fact]
    public void Bytes_add_up_from_the_receiving_callback()
    {
        using var fetch = new ActiveFetch(CancellationToken.None, DateTime.UtcNow);
        fetch.AddBytes(1000);
        fetch.AddBytes(24);
        Assert.Equal(1024, fetch.Bytes);
    }

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Comes_to_end_once_when_the_rest_at_its_pace_fits_in_the_lead()
    {
        using var fetch = new ActiveFetch(CancellationToken.None, Start);
        fetch.AddBytes(500); // 500 B/s: 500 B left = 1 s to go
        Assert.False(fetch.ComesToEnd(1000, TimeSpan.FromMilliseconds(200), Start.AddSeconds(1)));
        fetch.AddBytes(400); // 100 B left at 500 B/s = 0.2 s
        Assert.True(fetch.ComesToEnd(1000, TimeSpan.FromMilliseconds(200), Start.AddSeconds(1.8)));
        Assert.False(fetch.ComesToEnd(1000, TimeSpan.FromMilliseconds(200), Start.AddSeconds(1.9)));
    }

    [Fact]
    public void A_complete_or_not_yet_started_fetch_does_not_come_to_end()
    {
        using var fetch = new ActiveFetch(CancellationToken.None, Start);
        Assert.False(fetch.ComesToEnd(1000, TimeSpan.FromSeconds(10), Start.AddSeconds(1)));
        fetch.AddBytes(1000);
        Assert.False(fetch.ComesToEnd(1000, TimeSpan.FromSeconds(10), Start.AddSeconds(1)));
    }
}
