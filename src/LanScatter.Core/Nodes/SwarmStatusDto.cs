namespace LanScatter.Core.Nodes;

/// <summary>The master's <c>/api/swarm</c> and the peers' <c>/api/status</c> JSON.</summary>
public sealed class SwarmStatusDto
{
    public string Role { get; set; } = "";
    public string? PeerId { get; set; }
    public string Name { get; set; } = "";
    public string State { get; set; } = "";
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public double DownloadBytesPerSecond { get; set; }
    public double UploadBytesPerSecond { get; set; }
    public int ManifestVersion { get; set; }
    public List<SwarmPeerDto>? Peers { get; set; }
}

public sealed class SwarmPeerDto
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public string State { get; set; } = "";
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public int ChunksHeld { get; set; }
    public bool Slow { get; set; }
}
