using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Security;

/// <summary>Whatever a manifest says, a peer writes only inside its folder and names the path it refuses.</summary>
public class HostileManifestTests
{
    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/tmp/escape.txt")]
    [InlineData("C:/escape.txt")]
    [InlineData("\\\\\\\\server\\\\share\\\\escape.txt")]
    [InlineData("CON")]
    [InlineData("dir/aux.txt")]
    [InlineData(".lanscatter/peer.json")]
    [InlineData("trailing.")]
    public async Task A_manifest_path_that_leaves_the_folder_or_is_invalid_somewhere_fails_the_peer_naming_it(string path)
    {
        using var sandbox = new TempFolder();
        var folder = sandbox.Combine("peer");
        var manifest = $$"""{"format":1,"chunkSize":65536,"files":[{"path":"{{path}}","size":1,"modified":"2026-01-01T00:00:00Z","chunks":[{"offset":0,"length":1,"id":"{{new string('a', 64)}}"}]}]}""";
        await using var master = PlayedNodes.Master(PlayedNodes.Welcome(manifest));
        await using var peer = new PeerNode(new PeerOptions
        {
            Path = folder, MasterHost = "127.0.0.1", MasterPort = master.Port, Port = 0, Bind = "127.0.0.1", Advertise = "127.0.0.1",
        });
        peer.Start();
        var ex = await Assert.ThrowsAsync<LanScatterException>(() => peer.Completion.Within(20));
        Assert.Equal("InvalidManifest", ex.ErrorId);
        Assert.Contains(System.Text.Json.JsonSerializer.Deserialize<string>($"\"{path}\"")!, ex.Message);
        Assert.Equal(new[] { "peer" }, Directory.GetFileSystemEntries(sandbox.Path).Select(Path.GetFileName).ToArray());
        Assert.False(File.Exists("/tmp/escape.txt"));
    }
}
