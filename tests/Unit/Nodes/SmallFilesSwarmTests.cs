using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>
/// A folder of many small files, some identical, some empty, beside a large file: peers take the
/// small ones in bundles (many files to a request) and end up with the master's folder exactly.
/// </summary>
public class SmallFilesSwarmTests
{
    private const int Chunk = 1 << 20;
    private const int Files = 1500;

    private static void WriteSmallFiles(TempFolder folder)
    {
        for (int i = 0; i < Files; i++)
        {
            var path = $"d{i % 30:D2}/f{i:D4}.txt";
            if (i % 100 == 0) folder.Write(path, Array.Empty<byte>());
            else if (i % 3 == 0) folder.Write(path, $"the same text in many files, size {i % 7}"); // duplicates
            else folder.Write(path, TestData.Random(100 + i * 7 % 3000, i));
        }
    }

    [Fact]
    public async Task Three_peers_sync_1500_small_files_and_a_large_one_identically_with_bundles()
    {
        await using var swarm = new TestSwarm(Chunk);
        WriteSmallFiles(swarm.MasterFolder);
        swarm.MasterFolder.Write("large.bin", TestData.Random(5 * Chunk + 333, 9));
        var master = await swarm.StartMasterAsync();
        var peers = new List<PeerNode>();
        var dirs = Enumerable.Range(0, 3).Select(_ => swarm.NewFolder()).ToList();
        for (int i = 0; i < dirs.Count; i++) peers.Add(await swarm.StartPeerAsync(dirs[i].Path, $"p{i}"));

        await swarm.InSync(90, peers.ToArray());

        foreach (var d in dirs) FolderAssert.Identical(swarm.MasterFolder.Path, d.Path);
        // Far fewer requests than files: 3 peers x ~1,000 distinct small files, at most 256 to a bundle.
        Assert.InRange(master.BundlesStarted, 3, 300);
        lock (swarm.Log) Assert.True(peers.All(p => p.Status.TransfersFailed == 0), string.Join("\n", swarm.Log.Where(l => l.Contains("fail"))));
    }

    [Fact]
    public async Task A_peer_that_already_holds_some_small_files_fetches_only_the_rest_and_deletes_extras()
    {
        await using var swarm = new TestSwarm(Chunk);
        WriteSmallFiles(swarm.MasterFolder);
        await swarm.StartMasterAsync();
        var dir = swarm.NewFolder();
        WriteSmallFiles(dir);
        for (int i = 0; i < Files; i += 2) File.Delete(dir.Combine($"d{i % 30:D2}/f{i:D4}.txt"));
        dir.Write("d00/extra.txt", "not on the master");
        dir.Write("d01/f0001.txt", "changed here");

        var peer = await swarm.StartPeerAsync(dir.Path, "p", force: true);
        await swarm.InSync(90, peer);

        FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);
    }
}
