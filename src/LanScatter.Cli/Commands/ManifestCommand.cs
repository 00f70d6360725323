using LanScatter.Core.Manifest;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter manifest DIR [--chunk-size SIZE]</c>: scan a folder, print its manifest JSON.</summary>
internal static class ManifestCommand
{
    public const string Usage = "lanscatter manifest DIR [--chunk-size SIZE] [--threads N] [--no-cache]";

    public const string Help = """
        Scans DIR and prints its manifest (files, sizes, times, chunk ids) as JSON on stdout.
          --chunk-size SIZE   chunk size, e.g. 8M or 64MiB (default: adaptive, 4 MiB to 128 MiB)
          --threads N         hashing threads (default: one per core)
          --no-cache          hash every file; do not read or write DIR/.lanscatter/hashcache.json
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "chunk-size", "threads" }, new HashSet<string> { "no-cache" });
        if (a.Positional.Count != 1) throw new UsageException("expected one folder: " + Usage);

        long? chunkSize = null;
        if (a.Value("chunk-size") is { } text)
        {
            if (!ChunkSizing.TryParse(text, out var size)) throw new UsageException($"--chunk-size '{text}' is not a size (examples: 4M, 64MiB, 1G)");
            chunkSize = size;
        }

        using var progress = new ScanProgressLine(context.Stderr, context.StderrIsTerminal);
        var manifest = await FolderScanner.ScanAsync(a.Positional[0], new ScanOptions
        {
            ChunkSize = chunkSize,
            Workers = a.Int("threads", 0, 1, 256),
            UseHashCache = !a.Has("no-cache"),
            Progress = progress,
        }, context.Cancellation).ConfigureAwait(false);
        progress.Done();

        context.Stdout.WriteLine(ManifestJson.Serialize(manifest, indented: true));
        return 0;
    }
}
