using System.Diagnostics;
using System.Globalization;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Security;
using LanScatter.Core.Storage;

namespace LanScatter.Cli.Commands;

/// <summary>
/// <c>lanscatter demo</c>: a real distribution on this machine — a sample folder, a master and
/// peers on loopback with per-node bandwidth limits (so peers must share, as on a LAN), progress,
/// a byte-for-byte check of every peer, and a summary. Cleans up after itself.
/// </summary>
internal static class DemoCommand
{
    public const string Usage = "lanscatter demo [--peers N] [--size MB] [--rate MBIT] [--keep]";

    public const string Help = """
        Creates a sample folder, starts a master and peers on 127.0.0.1, distributes the folder,
        verifies every peer byte for byte and prints a summary.
          --peers N     peers (default 3)
          --size MB     sample folder size in MiB (default 128)
          --rate MBIT   every node's upload and download limit in Mbit/s, like a LAN link (default 400)
          --keep        keep the folders (their location is printed)
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "peers", "size", "rate" }, new HashSet<string> { "keep", "verbose" });
        if (a.Positional.Count != 0) throw new UsageException("demo takes no folder: " + Usage);
        int peers = a.Int("peers", 3, 1, 32);
        int sizeMb = a.Int("size", 128, 1, 100_000);
        double rate = a.Double("rate", 400, 1, 1e6);
        var root = Path.Combine(Path.GetTempPath(), "lanscatter-demo-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var inv = CultureInfo.InvariantCulture;
        try
        {
            var source = Path.Combine(root, "master");
            context.Stderr.WriteLine($"demo: writing a {sizeMb} MiB sample folder to {source}");
            SampleFolder.Create(source, (long)sizeMb << 20);

            var console = new NodeConsole(context, a.Has("verbose"));
            // The demo runs as a real swarm should: with a secret (a fresh one; nothing is written down).
            var secret = SwarmSecret.FromText(SwarmSecret.NewSecret(), "the demo");
            await using var master = await MasterNode.StartAsync(new MasterOptions
            {
                Path = source, Port = 0, Bind = "127.0.0.1", UploadLimitMbit = rate, Secret = secret,
                ChunkSize = Math.Max(256 * 1024, ChunkSizing.Adaptive((long)sizeMb << 20) / 4), Name = "master",
            }, null, context.Cancellation).ConfigureAwait(false);
            console.Attach("master", master);
            var manifest = master.Manifest;
            context.Stderr.WriteLine($"demo: master on 127.0.0.1:{master.Port}: {manifest.Files.Count} files, {manifest.ChunkCount} chunks of {ChunkSizing.Format(manifest.ChunkSize)}; every node limited to {rate} Mbit/s");

            var watch = Stopwatch.StartNew();
            var nodes = new List<PeerNode>();
            for (int i = 1; i <= peers; i++)
            {
                var peer = await PeerNode.StartAsync(new PeerOptions
                {
                    Path = Path.Combine(root, $"peer{i}"), MasterHost = "127.0.0.1", MasterPort = master.Port, Port = 0, Bind = "127.0.0.1",
                    Advertise = "127.0.0.1", Name = $"peer{i}", UploadLimitMbit = rate, DownloadLimitMbit = rate, Secret = secret,
                }, context.Cancellation).ConfigureAwait(false);
                console.Attach($"peer{i}", peer);
                nodes.Add(peer);
            }
            var all = Task.WhenAll(nodes.Select(n => n.WhenInSync));
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, Task.Delay(context.StderrIsTerminal ? 300 : 2000, context.Cancellation)).ConfigureAwait(false);
                context.Cancellation.ThrowIfCancellationRequested();
                console.Progress(nodes.Select((n, i) => ($"peer{i + 1}", n.Status)).Prepend(("master", master.Status)));
            }
            await all.ConfigureAwait(false);
            watch.Stop();
            console.Erase();

            foreach (var (peer, i) in nodes.Select((n, i) => (n, i + 1)))
            {
                var problem = SampleFolder.Compare(source, Path.Combine(root, $"peer{i}"));
                if (problem is not null)
                {
                    context.Stderr.WriteLine($"demo: peer{i} differs from the master: {problem}");
                    return CliApp.ExitFailure;
                }
            }
            long fromPeers = nodes.Sum(n => n.Status.BytesFromPeers), fromMaster = nodes.Sum(n => n.Status.BytesFromMaster);
            long delivered = fromPeers + fromMaster;
            double seconds = watch.Elapsed.TotalSeconds;
            foreach (var n in nodes) await n.StopAsync().ConfigureAwait(false);
            await master.StopAsync().ConfigureAwait(false);
            // A perfect multicast sends each distinct chunk once over every peer's link.
            long unique = LanScatter.Core.Planning.ChunkCatalog.From(manifest).Sizes.Sum();
            double ideal = unique * 8 / (rate * 1e6);
            context.Stdout.WriteLine(string.Format(inv, "demo: {0} peers identical to the master ({1} files, {2} each)", peers, manifest.Files.Count, ChunkSizing.Format(manifest.TotalBytes)));
            context.Stdout.WriteLine(string.Format(inv, "demo: {0:F1} s, {1:F1} MB/s per peer; ideal at {2} Mbit/s per link {3:F1} s (efficiency {4:F2})",
                seconds, manifest.TotalBytes / seconds / 1e6, rate, ideal, ideal / seconds));
            context.Stdout.WriteLine(string.Format(inv, "demo: {0} over the network: {1:P0} from peers, {2:P0} from the master (the rest was copied locally: duplicate chunks)",
                ChunkSizing.Format(delivered), delivered == 0 ? 0 : (double)fromPeers / delivered, delivered == 0 ? 0 : (double)fromMaster / delivered));
            return CliApp.ExitOk;
        }
        finally
        {
            if (a.Has("keep")) context.Stderr.WriteLine($"demo: folders kept in {root}");
            else try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
