using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Storage;

namespace LanScatter.Tests.Support.Fuzz;

/// <summary>
/// Hostile manifests through the peer's own path: parsed and validated, and every one that passes
/// applied to a real peer folder (no network: many more inputs per second than through a session).
/// </summary>
internal static class ManifestFuzz
{
    /// <summary>Largest manifest applied (a mutated size could otherwise preallocate terabytes).</summary>
    private const long MaxApplied = 8 << 20;

    public static async Task RunAsync(string peerFolder, FolderManifest seedManifest, int count, int seed, FuzzCounts counts)
    {
        var m = new Mutator(seed);
        var seedJson = ManifestJson.Serialize(seedManifest);
        var folder = new PeerFolder(peerFolder);
        folder.LoadOrCreatePeerId();
        for (int i = 0; i < count; i++)
        {
            counts.Try();
            var text = System.Text.Encoding.UTF8.GetString(m.Mutate(seedJson));
            FolderManifest manifest;
            try
            {
                manifest = ManifestJson.Deserialize(text);
            }
            catch (LanScatterException)
            {
                counts.Reject();
                continue;
            }
            catch (Exception ex)
            {
                counts.Crash($"parsing threw {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            if (manifest.TotalBytes > MaxApplied) { counts.Accept(); continue; }
            try
            {
                await folder.ApplyAsync(manifest, CancellationToken.None);
                counts.Accept();
            }
            catch (Exception ex) when (ex is LanScatterException or IOException or UnauthorizedAccessException)
            {
                counts.Reject(); // what a peer turns into a clear failure (LocalDiskError and the like)
            }
            catch (Exception ex)
            {
                counts.Crash($"applying threw {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
