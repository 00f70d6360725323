using LanScatter.Core.Hashing;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Hashing;

public class Blake2bVectorTests
{
    [Fact]
    public void Rfc7693_AppendixA_abc_512()
    {
        var digest = Blake2b.Hash("abc"u8, 64);
        Assert.Equal(
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1" +
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
            Hex.Of(digest));
    }

    [Fact]
    public void Abc_256_matches_b2sum_l256()
    {
        Assert.Equal("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", Hex.Of(Blake2b.Hash("abc"u8)));
    }

    [Fact]
    public void Empty_input_512_and_256()
    {
        Assert.Equal(
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419" +
            "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
            Hex.Of(Blake2b.Hash(ReadOnlySpan<byte>.Empty, 64)));
        Assert.Equal("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", Hex.Of(Blake2b.Hash(ReadOnlySpan<byte>.Empty)));
    }

    /// <summary>RFC 7693 Appendix E: keyed and unkeyed hashes over many lengths fold into one known digest.</summary>
    [Fact]
    public void Rfc7693_AppendixE_selftest_grand_hash()
    {
        var grand = new Blake2b(32);
        foreach (int outLen in new[] { 20, 32, 48, 64 })
        {
            foreach (int inLen in new[] { 0, 3, 128, 129, 255, 1024 })
            {
                var input = SelfTestSequence(inLen, (uint)inLen);
                grand.Update(Blake2b.Hash(input, outLen));
                var keyed = new Blake2b(outLen, SelfTestSequence(outLen, (uint)outLen));
                keyed.Update(input);
                grand.Update(keyed.Finish());
            }
        }
        Assert.Equal("c23a7800d98123bd10f506c61e29da5603d763b8bbad2e737f5e765a7bccd475", Hex.Of(grand.Finish()));
    }

    // The deterministic byte generator the RFC's self-test defines.
    private static byte[] SelfTestSequence(int length, uint seed)
    {
        var output = new byte[length];
        uint a = 0xDEAD4BAD * seed, b = 1;
        for (int i = 0; i < length; i++)
        {
            uint t = a + b;
            a = b;
            b = t;
            output[i] = (byte)(t >> 24);
        }
        return output;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Rejects_digest_lengths_outside_1_to_64(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Blake2b(length));
    }

    [Fact]
    public void Rejects_keys_longer_than_64_bytes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Blake2b(32, new byte[65]));
    }

    [Fact]
    public void Finish_twice_is_an_error_not_a_different_digest()
    {
        var h = new Blake2b();
        h.Finish();
        Assert.Throws<InvalidOperationException>(() => h.Finish());
        Assert.Throws<InvalidOperationException>(() => h.Update(new byte[1]));
    }
}
