namespace LanScatter.Core.Storage;

internal sealed class PartialStateDto
{
    public int Format { get; set; }
    public List<PartialFileDto>? Files { get; set; }
}

internal sealed class PartialFileDto
{
    public string? Path { get; set; }
    public List<string>? Ids { get; set; }
    public List<int>? Verified { get; set; }
}

internal sealed class PeerIdentityDto
{
    public string? PeerId { get; set; }
}
