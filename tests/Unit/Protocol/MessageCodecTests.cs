using LanScatter.Core.Manifest;
using LanScatter.Core.Protocol;

namespace LanScatter.Tests.Protocol;

public class MessageCodecTests
{
    // Found by the fuzz test: System.Text.Json throws InvalidOperationException, not JsonException,
    // for an escaped lone surrogate, and it escaped the codec (the peer's session task died).
    [Theory]
    [InlineData("""{"type":"\ud800"}""")]
    [InlineData("""{"type":"error","message":"\udc00 lone","fatal":false}""")]
    [InlineData("""{"type":"fetch","transferId":1,"chunkId":"\ud800","url":"/chunks/x"}""")]
    public void A_string_that_is_not_valid_UTF16_is_a_protocol_error_not_a_crash(string message)
    {
        var ex = Assert.Throws<ProtocolException>(() => MessageCodec.Decode(message));
        Assert.False(ex.Fatal);
    }

    [Fact]
    public void A_manifest_with_a_lone_surrogate_is_an_invalid_manifest()
    {
        Assert.Throws<InvalidManifestException>(() => ManifestJson.Deserialize("""{"format":1,"chunkSize":65536,"files":[{"path":"\ud800","size":0,"chunks":[]}]}"""));
    }
}
