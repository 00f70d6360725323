namespace LanScatter.Core.Planning;

/// <summary>The planner's view of one node. Mutable, owned by <see cref="SwarmPlanner"/>.</summary>
internal sealed class PlannerNode
{
    public PlannerNode(int index, bool isMaster, int maxUploads, int maxDownloads, int chunkCount)
    {
        Index = index;
        IsMaster = isMaster;
        MaxUploads = maxUploads;
        MaxDownloads = maxDownloads;
        Has = new ChunkSet(chunkCount);
        Incoming = new ChunkSet(chunkCount);
        Skip = new ChunkSet(chunkCount);
    }

    public int Index { get; }
    public bool IsMaster { get; }
    public int MaxUploads { get; set; }
    public int MaxDownloads { get; set; }
    public bool Alive { get; set; } = true;
    public ChunkSet Has { get; }

    /// <summary>Chunks this node will not take (they occur only in paths it excludes): never planned to it.</summary>
    public ChunkSet Skip { get; }

    /// <summary>Chunks on their way to this node (never fetched twice at once).</summary>
    public ChunkSet Incoming { get; }

    /// <summary>For each chunk on its way, the node sending it.</summary>
    public Dictionary<int, int> IncomingFrom { get; } = new();

    public int Uploads { get; set; }
    public int Downloads { get; set; }

    /// <summary>Of <see cref="Downloads"/>, those from the master (a bundle counts once).</summary>
    public int FromMaster { get; set; }

    /// <summary>Per-transfer rate when this node is the source / the target.</summary>
    public RateEstimate UpRate;
    public RateEstimate DownRate;

    /// <summary>Sources this node should not use until the given time (after failures or slow transfers).</summary>
    public Dictionary<int, TimeSpan> AvoidUntil { get; } = new();

    public bool NeedsMore => Alive && !IsMaster && Has.Count + Incoming.Count + Skip.Count < Has.Capacity;
    public bool FreeDownloadSlot => Alive && !IsMaster && Downloads < MaxDownloads;
    /// <summary>A free upload slot and something to send (held chunks, or with relays also chunks on their way).</summary>
    public bool FreeUploadSlotFor(bool relays) => Alive && Uploads < MaxUploads && (Has.Count > 0 || relays && Incoming.Count > 0);
}
