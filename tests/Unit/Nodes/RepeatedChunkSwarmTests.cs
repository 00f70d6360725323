using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>
/// Chunks that occur many times (zero runs in disk images, duplicate files) must land in every place
/// they occur, whatever order copies arrive in: peers used to stall at 89–95 % on this folder.
/// </summary>
public class RepeatedChunkSwarmTests
{
    private const int Chunk = 1 << 20;

    [Fact]
    public async Task Three_peers_complete_two_all_zero_files_of_six_shared_chunks_beside_ordinary_files_every_time()
    {
        for (int round = 0; round < 8; round++)
        {
            await using var swarm = new TestSwarm(Chunk);
            var m = swarm.MasterFolder;
            m.Write("zeros.bin", new byte[3 * Chunk]);
            m.Write("zeros-copy.bin", new byte[3 * Chunk]);
            m.Write("mixed.bin", Mixed(round));
            m.Write("small.txt", $"round {round}");
            m.Write("tail.bin", TestData.Random(Chunk + 17, round));
            await swarm.StartMasterAsync();
            var dirs = Enumerable.Range(0, 3).Select(_ => swarm.NewFolder()).ToList();
            // One peer already has the copy, as in the report: only zeros.bin must be made locally.
            dirs[0].Write("zeros-copy.bin", new byte[3 * Chunk]);
            var peers = new List<LanScatter.Core.Nodes.PeerNode>();
            for (int i = 0; i < dirs.Count; i++) peers.Add(await swarm.StartPeerAsync(dirs[i].Path, $"p{i}", force: true));

            await swarm.InSync(60, peers.ToArray());

            foreach (var d in dirs) FolderAssert.Identical(m.Path, d.Path);
        }
    }

    // A zero chunk between random ones: the shared chunk also sits inside a file of other chunks.
    private static byte[] Mixed(int seed)
    {
        var bytes = new byte[3 * Chunk];
        TestData.Random(Chunk, seed + 100).CopyTo(bytes, 0);
        TestData.Random(Chunk, seed + 200).CopyTo(bytes, 2 * Chunk);
        return bytes;
    }
}
