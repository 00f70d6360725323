namespace LanScatter.Core.Simulation;

/// <summary>One host in a snapshot: chunks it has (bitmap), transfers in flight, current receive rate.</summary>
internal sealed record SimulatedHostView(string Name, bool IsMaster, bool Online, bool Slow, bool[] Has, int Downloads, int Uploads, double DownloadBytesPerSecond);

/// <summary>The simulated swarm at one moment, for live displays.</summary>
internal sealed record SimulationSnapshot(double Seconds, IReadOnlyList<SimulatedHostView> Hosts);
