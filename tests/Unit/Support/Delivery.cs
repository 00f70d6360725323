using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;

namespace LanScatter.Tests.Support;

/// <summary>What a fetch does with a place a peer's folder reserved, without the network.</summary>
internal static class Delivery
{
    /// <summary>The master's bytes of the chunk written at the place, then committed; false when the folder refuses the commit.</summary>
    public static async Task<bool> DeliverAsync(PeerFolder folder, TempFolder master, ManifestFile file, ManifestChunk chunk, ChunkTarget target)
    {
        var bytes = new byte[chunk.Length];
        using (var source = File.OpenRead(master.Combine(file.Path)))
        {
            source.Position = chunk.Offset;
            source.ReadExactly(bytes);
        }
        await WriteAtAsync(target, bytes);
        return await folder.CommitAsync(chunk.Id, target, CancellationToken.None);
    }

    public static async Task WriteAtAsync(ChunkTarget target, byte[] bytes)
    {
        using var output = target.OpenForWrite(); // as a fetch does: a whole-file place is made by its write
        output.Position = target.Offset;
        await output.WriteAsync(bytes);
    }
}
