using System.Net;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Protocol;
using LanScatter.Core.Security;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>
/// Manifests of more than about a thousand files, and deltas too big for a control message, travel by
/// reference: a digest in the welcome or delta, the manifest itself over HTTP. The limits are lowered
/// here so that a few hundred files stand for a few hundred thousand.
/// </summary>
[Collection(SerialCollection.Name)]
public class LargeManifestTests
{
    [Fact]
    public async Task A_peer_joins_and_follows_changes_of_a_manifest_too_big_for_a_message_fetched_by_digest_in_pieces()
    {
        var before = (ManifestReference.InlineLimit, ManifestPieces.EntriesPerPiece);
        ManifestReference.InlineLimit = 4096;
        ManifestPieces.EntriesPerPiece = 16; // 16 files a piece stand for 50,000
        try
        {
            var secret = SwarmSecret.FromText("large manifest secret", "test");
            await using var swarm = new TestSwarm(64 * 1024, secret: secret);
            for (int i = 0; i < 120; i++) swarm.MasterFolder.Write($"dir{i % 7}/file-{i:D4}.txt", $"line {i}\n");
            var master = await swarm.StartMasterAsync();
            var dir = swarm.NewFolder();
            var peer = await swarm.StartPeerAsync(dir.Path, "p");
            await swarm.InSync(60, peer);
            FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);

            var firstPieces = ManifestPieces.Encode(master.Manifest).PieceIds;

            // A change whose delta is too big as well: 80 files more, a few gone.
            for (int i = 120; i < 200; i++) swarm.MasterFolder.Write($"new/file-{i:D4}.txt", $"new line {i}\n");
            File.Delete(Path.Combine(swarm.MasterFolder.Path, "dir0", "file-0000.txt"));
            await Timeouts.Until(() => master.ManifestVersion >= 2 && peer.Status.ManifestVersion == master.ManifestVersion && peer.WhenInSync.IsCompleted && peer.Status.Percent == 100, 60, "the peer on the changed manifest");
            await Timeouts.Until(() => Directory.Exists(Path.Combine(dir.Path, "new")) && Directory.GetFiles(Path.Combine(dir.Path, "new")).Length == 80 && !File.Exists(Path.Combine(dir.Path, "dir0", "file-0000.txt")), 60, "the changed files");
            FolderAssert.Identical(swarm.MasterFolder.Path, dir.Path);

            // Pieces are served by id from the manifest of the moment: one of the first manifest's
            // (the one holding dir0/file-0000.txt) is gone, so a fetch that began before the change fails and the peer joins again.
            var nowPieces = ManifestPieces.Encode(master.Manifest).PieceIds;
            using var http = new HttpClient();
            async Task<HttpStatusCode> Piece(string id)
            {
                using var request = HttpCredentials.Sign(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{master.Port}/api/manifest/{id}"), secret);
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }
            Assert.Equal(HttpStatusCode.NotFound, await Piece(firstPieces.Except(nowPieces).First()));
            Assert.Equal(HttpStatusCode.OK, await Piece(nowPieces[^1]));
            lock (swarm.Log)
            {
                Assert.Contains(swarm.Log, l => l.Contains("fetched the manifest over HTTP") && l.Contains("in 8 piece(s)")); // 120 files
                Assert.Contains(swarm.Log, l => l.Contains("fetched the manifest over HTTP") && l.Contains("in 13 piece(s)")); // 199 files
            }
        }
        finally
        {
            (ManifestReference.InlineLimit, ManifestPieces.EntriesPerPiece) = before;
        }
    }

    [Fact]
    public async Task A_peer_holding_more_chunks_than_fit_one_message_rejoins_and_says_them_all_in_parts()
    {
        // 7 ids a part here stand for 50,000: a peer of a million chunks said them in one 67 MB
        // message, over the limit, and the master dropped it on every rejoin.
        var before = PeerNode.HavePartIds;
        PeerNode.HavePartIds = 7;
        try
        {
            await using var swarm = new TestSwarm(64 * 1024);
            for (int i = 0; i < 60; i++) swarm.MasterFolder.Write($"dir{i % 3}/file-{i:D4}.txt", $"line {i}\n");
            var master = await swarm.StartMasterAsync();
            var dir = swarm.NewFolder();
            var exclude = new[] { "dir2/*" }; // 20 ids this peer will not fetch: its 'skip' goes in parts too
            var peer = await swarm.StartPeerAsync(dir.Path, "p", exclude: exclude);
            await swarm.InSync(60, peer);
            await swarm.StopPeerAsync(peer);

            var again = await swarm.StartPeerAsync(dir.Path, "p", exclude: exclude);
            await swarm.InSync(60, again);
            await Timeouts.Until(() => master.Status.Peers.Count == 1 && master.Status.Peers[0].ChunksHeld == 40, 30, "the master knowing all 40 chunks the peer holds");
            Assert.Equal(0, master.Status.Peers[0].TransfersFailed); // no order for a skipped or held chunk
            Assert.Equal(0, again.Status.BytesReceived); // it had everything: nothing fetched again
            lock (swarm.Log) Assert.DoesNotContain(swarm.Log, l => l.Contains("exceeds the limit") || l.Contains("not in manifest") || l.Contains("'have'"));
        }
        finally
        {
            PeerNode.HavePartIds = before;
        }
    }

    [Fact]
    public void A_welcome_carries_a_manifest_of_a_few_files_inline_and_one_of_thousands_by_reference()
    {
        static FolderManifest Files(int count) => new(4096, Enumerable.Range(0, count).Select(i =>
        {
            var id = ChunkId.Of(BitConverter.GetBytes(i));
            return new ManifestFile($"dir{i % 10}/file-{i:D5}.txt", 100 + i, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new[] { new ManifestChunk(0, 100 + i, id) });
        }).ToList(), Array.Empty<string>());

        var few = Files(20);
        var inline = ManifestReference.InlineText(few, ManifestPieces.Encode(few));
        Assert.NotNull(inline);
        Assert.Equal(ManifestJson.Serialize(few), ManifestJson.Serialize(ManifestJson.Deserialize(inline!)));

        // 2,000 files are over the compact limit though far from the message limit: pieces made once, not JSON for every welcome.
        var many = Files(2000);
        var wire = ManifestPieces.Encode(many);
        Assert.InRange(wire.Bytes, ManifestReference.WelcomeInlineCompactLimit + 1, ManifestReference.InlineLimit);
        Assert.Null(ManifestReference.InlineText(many, wire));
    }

    [Fact]
    public void A_small_delta_travels_as_it_is_and_a_big_one_becomes_a_reference_to_the_whole_manifest()
    {
        var small = new ManifestDeltaMessage { BaseVersion = 1, Version = 2, Upserts = "{}", Removed = new() { "a" }, EmptyDirectories = new() };
        Assert.Same(small, ManifestReference.Shrink(small, () => "digest"));
        var big = new ManifestDeltaMessage { BaseVersion = 1, Version = 2, Upserts = new string('x', ManifestReference.InlineLimit + 1), Removed = new(), EmptyDirectories = new() };
        var shrunk = ManifestReference.Shrink(big, () => "digest");
        Assert.Equal("digest", shrunk.FullManifestDigest);
        Assert.Null(shrunk.Upserts);
        Assert.Equal((1, 2), (shrunk.BaseVersion, shrunk.Version));
    }
}
