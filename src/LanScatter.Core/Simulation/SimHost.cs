namespace LanScatter.Core.Simulation;

/// <summary>A simulated host and its link.</summary>
internal sealed class SimHost
{
    public SimHost(int id, bool isMaster, double up, double down, bool slow)
    {
        Id = id;
        IsMaster = isMaster;
        Up = up;
        Down = down;
        Slow = slow;
    }

    public int Id { get; }
    public bool IsMaster { get; }
    public double Up { get; }
    public double Down { get; }
    public bool Slow { get; }

    /// <summary>The host's current node index in the planner (a host that comes back is a new node).</summary>
    public int Node { get; set; } = -1;
    public bool Online { get; set; }
    public double JoinedAt { get; set; } = double.NaN;
    public double OfflineSince { get; set; }
    public double Downtime { get; set; }
    public double CompletedAt { get; set; } = double.NaN;
    public List<SimFlow> Uploads { get; } = new();

    // Marks of the simulator's rate updates (see SwarmSimulator.UpdateRates).
    public int Mark { get; set; }
    public int Local { get; set; }
    public int UpChanged { get; set; }
    public int DownChanged { get; set; }
    public List<SimFlow> Downloads { get; } = new();
}
