namespace LanScatter.Core.Nodes;

/// <summary>
/// The swarm matrix the status page draws: a row per node, a cell per chunk, or per group of
/// chunks when there are more than the page can show. A cell is one character: '0' none held,
/// '1'-'8' some (more is higher), '9' all held, 'f' a chunk of it in flight to the node.
/// </summary>
public sealed class SwarmMatrix
{
    /// <summary>Most cells a row has by default (a 1080p page shows this many without scrolling sideways).</summary>
    public const int DefaultCells = 400;

    public const int MaxCells = 4000;

    public int ChunkCount { get; set; }
    public int ChunksPerCell { get; set; }
    public List<SwarmMatrixRow> Nodes { get; set; } = new();

    /// <summary>The cells of one node's row.</summary>
    public static string Row(int chunkCount, int chunksPerCell, Func<int, bool> held, ICollection<int> inFlight)
    {
        if (chunkCount == 0) return "";
        int cells = (chunkCount + chunksPerCell - 1) / chunksPerCell;
        var row = new char[cells];
        for (int cell = 0; cell < cells; cell++)
        {
            int first = cell * chunksPerCell, last = Math.Min(chunkCount, first + chunksPerCell);
            int have = 0;
            bool flying = false;
            for (int c = first; c < last; c++)
            {
                // A chunk on its way counts as in flight even where the planner already lists it (relays start early).
                if (inFlight.Contains(c)) flying = true;
                else if (held(c)) have++;
            }
            int size = last - first;
            row[cell] = flying ? 'f' : have == size ? '9' : have == 0 ? '0' : (char)('1' + 7 * have / size);
        }
        return new string(row);
    }

    /// <summary>Chunks per cell for at most <paramref name="cells"/> cells.</summary>
    public static int Grouping(int chunkCount, int cells) => Math.Max(1, (chunkCount + cells - 1) / Math.Max(1, cells));
}

public sealed class SwarmMatrixRow
{
    public string Role { get; set; } = "";
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public string Cells { get; set; } = "";
}
