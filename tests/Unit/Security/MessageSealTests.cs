using System.Text;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;

namespace LanScatter.Tests.Security;

public class MessageSealTests
{
    private static readonly SwarmSecret Secret = SwarmSecret.FromText("a swarm secret for tests", "test");

    private static (MessageSeal Send, MessageSeal Receive) Pair()
    {
        var (masterSend, _) = JoinExchange.MasterSeals(Secret, "peer-nonce-0123456789", "master-nonce-0123456789");
        var (_, peerReceive) = JoinExchange.PeerSeals(Secret, "peer-nonce-0123456789", "master-nonce-0123456789");
        return (masterSend, peerReceive);
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Sealed_messages_open_in_order_on_the_other_side()
    {
        var (send, receive) = Pair();
        foreach (var text in new[] { "{\"type\":\"welcome\"}", "{}", "{\"type\":\"fetch\",\"chunkId\":\"x\"}" })
            Assert.Equal(text, Encoding.UTF8.GetString(receive.Open(send.Seal(Utf8(text)))));
    }

    [Fact]
    public void An_altered_message_fails_the_check()
    {
        var (send, receive) = Pair();
        var frame = send.Seal(Utf8("{\"type\":\"manifest-delta\",\"removed\":[\"a.txt\"]}"));
        frame[frame.Length - 5] ^= 1;
        var ex = Assert.Throws<ProtocolException>(() => receive.Open(frame));
        Assert.True(ex.Fatal);
        Assert.Contains("authentication", ex.Message);
    }

    [Fact]
    public void A_replayed_message_fails_the_check()
    {
        var (send, receive) = Pair();
        var first = send.Seal(Utf8("{\"n\":1}"));
        receive.Open(first);
        Assert.Throws<ProtocolException>(() => receive.Open(first));
    }

    [Fact]
    public void A_message_that_overtakes_an_earlier_one_fails_the_check()
    {
        var (send, receive) = Pair();
        send.Seal(Utf8("{\"n\":1}"));
        var second = send.Seal(Utf8("{\"n\":2}"));
        Assert.Throws<ProtocolException>(() => receive.Open(second));
    }

    [Fact]
    public void A_message_sealed_for_the_other_direction_or_unsealed_is_refused()
    {
        var (masterSend, masterReceive) = JoinExchange.MasterSeals(Secret, "peer-nonce-0123456789", "master-nonce-0123456789");
        // The master's own message reflected back at it must not pass as the peer's.
        Assert.Throws<ProtocolException>(() => masterReceive.Open(masterSend.Seal(Utf8("{\"type\":\"have\"}"))));
        var (_, receive) = Pair();
        Assert.Contains("unsealed", Assert.Throws<ProtocolException>(() => receive.Open(Utf8("{\"type\":\"welcome\"}"))).Message);
    }

    [Fact]
    public void Nonces_are_spent_by_one_use_and_expire()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var store = new NonceStore(() => now);
        var n = store.Issue();
        Assert.True(store.TryUse(n));
        Assert.False(store.TryUse(n));
        Assert.False(store.TryUse("never-issued-nonce-00"));
        var late = store.Issue();
        now += NonceStore.Lifetime + TimeSpan.FromSeconds(1);
        Assert.False(store.TryUse(late));
        var first = store.Issue();
        for (int i = 0; i < NonceStore.Capacity; i++) store.Issue();
        Assert.False(store.TryUse(first)); // forgotten: the store stays bounded
    }
}
