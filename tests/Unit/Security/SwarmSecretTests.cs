using LanScatter.Core.Diagnostics;
using LanScatter.Core.Security;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Security;

public class SwarmSecretTests
{
    private const string Text = "correct horse battery staple";

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   \n", "is empty")]
    [InlineData("short-11chr", "has 11 characters; use at least 12")]
    public void An_empty_or_short_secret_is_refused_with_a_reason(string text, string reason)
    {
        var ex = Assert.Throws<LanScatterException>(() => SwarmSecret.FromText(text, "the test"));
        Assert.Equal("InvalidSecret", ex.ErrorId);
        Assert.Contains(reason, ex.Message);
        Assert.Contains("the test", ex.Message);
    }

    [Fact]
    public void A_secret_file_is_read_without_its_line_end_and_a_missing_one_is_InvalidSecret_naming_it()
    {
        using var folder = new TempFolder();
        var file = folder.Write("secret", Text + "\r\n");
        Assert.Equal(SwarmSecret.FromText(Text, "x").ReadToken, SwarmSecret.FromFile(file).ReadToken);
        var missing = folder.Combine("nope");
        var ex = Assert.Throws<LanScatterException>(() => SwarmSecret.FromFile(missing));
        Assert.Equal("InvalidSecret", ex.ErrorId);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void The_read_token_is_the_same_for_the_same_secret_differs_between_secrets_and_does_not_reveal_the_secret()
    {
        var a = SwarmSecret.FromText(Text, "x");
        Assert.Equal(a.ReadToken, SwarmSecret.FromText(Text, "y").ReadToken);
        Assert.NotEqual(a.ReadToken, SwarmSecret.FromText(Text + "!", "x").ReadToken);
        Assert.StartsWith("lsr_", a.ReadToken);
        Assert.DoesNotContain("horse", a.ReadToken);
        Assert.NotEqual(a.JoinKey, a.MemberKey);
    }

    [Fact]
    public void The_proof_over_a_body_in_utf8_is_the_mac_of_the_whole_text()
    {
        // Signed over the bytes as they are sent and received, with no joined copy of a huge body:
        // the same MAC as over the whole text, so the wire format is what it was.
        var secret = SwarmSecret.FromText("proof over bytes secret", "test");
        var body = "{\"files\":[{\"path\":\"ünïcode/ファイル.txt\"}]}";
        var proof = HttpCredentials.ResponseProof(secret, "nonce-1", System.Text.Encoding.UTF8.GetBytes(body));
        Assert.Equal(Mac.Text(secret.MemberKey, "response\nnonce-1\n" + body), proof);
        Assert.NotEqual(HttpCredentials.ResponseProof(secret, "nonce-2", System.Text.Encoding.UTF8.GetBytes(body)), proof);
    }

    [Fact]
    public void New_secrets_are_long_random_and_accepted()
    {
        var one = SwarmSecret.NewSecret();
        Assert.True(one.Length >= 40, one);
        Assert.NotEqual(one, SwarmSecret.NewSecret());
        Assert.Matches("^[A-Za-z0-9_-]+$", one);
        SwarmSecret.FromText(one, "x");
    }

    [Fact]
    public void The_join_proofs_of_master_and_peer_differ_and_depend_on_both_nonces_and_the_secret()
    {
        var s = SwarmSecret.FromText(Text, "x");
        var other = SwarmSecret.FromText(Text + "?", "x");
        var master = JoinExchange.MasterProof(s, "peer-nonce-0123456789", "master-nonce-0123456789");
        Assert.NotEqual(master, JoinExchange.PeerProof(s, "peer-nonce-0123456789", "master-nonce-0123456789"));
        Assert.NotEqual(master, JoinExchange.MasterProof(s, "peer-nonce-0123456780", "master-nonce-0123456789"));
        Assert.NotEqual(master, JoinExchange.MasterProof(s, "peer-nonce-0123456789", "master-nonce-0123456780"));
        Assert.NotEqual(master, JoinExchange.MasterProof(other, "peer-nonce-0123456789", "master-nonce-0123456789"));
        Assert.True(JoinExchange.IsNonce(Mac.NewNonce()));
        Assert.False(JoinExchange.IsNonce("short"));
        Assert.False(JoinExchange.IsNonce("has spaces in it and more"));
        Assert.False(JoinExchange.IsNonce(null));
    }
}
