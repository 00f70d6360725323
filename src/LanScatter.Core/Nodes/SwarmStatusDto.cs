namespace LanScatter.Core.Nodes;

/// <summary>A peer's <c>/api/status</c> JSON (the master probes it to check a joining peer's address).</summary>
internal sealed class SwarmStatusDto
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
}
