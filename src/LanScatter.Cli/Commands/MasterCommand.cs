using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Security;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter master DIR</c>: serve a folder to the swarm until Ctrl+C.</summary>
internal static class MasterCommand
{
    public const string Usage = "lanscatter master DIR [--port P] [--chunk-size SIZE] [--max-uploads N] [--upload-limit MBIT] [--bind ADDRESS] [--advertise ADDRESS] [--exclude PATTERN]... [--secret-file FILE] [--verbose]";

    public const string Help = """
        Serves DIR to peers until Ctrl+C: scans it, coordinates the swarm, follows changes to DIR.
          --port P            port for peers and the status page (default 10564); http://HOST:P/ shows the swarm
          --chunk-size SIZE   chunk size, e.g. 16M (default: adaptive, 4 MiB to 128 MiB)
          --max-uploads N     concurrent uploads from the master (default 4)
          --upload-limit MBIT the master's upload limit in Mbit/s (default: unlimited)
          --swarm-upload-limit MBIT, --swarm-download-limit MBIT   limits pushed to every peer
          --bind ADDRESS      listen on this address only (default: all interfaces)
          --advertise ADDRESS the address peers use to reach the master, shown in the join command it prints
          --exclude PATTERN   do not distribute matching paths (peers delete theirs unless they exclude them too);
                              repeatable; wildcards * ? [a-z], case-insensitive:
                              a name matches at any depth (*.tmp, cache), a path with / from DIR (logs/*)
          --secret-file FILE  the swarm secret, in a file (default: the LANSCATTER_SECRET environment variable;
                              with neither the swarm is open: anyone who reaches the port reads every file)
          --verbose           also log each failed transfer
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args,
            new HashSet<string> { "port", "chunk-size", "max-uploads", "upload-limit", "swarm-upload-limit", "swarm-download-limit", "bind", "advertise", "exclude", "secret-file" },
            new HashSet<string> { "verbose" });
        if (a.Positional.Count != 1) throw new UsageException("expected one folder: " + Usage);
        long? chunkSize = null;
        if (a.Value("chunk-size") is { } text)
        {
            if (!ChunkSizing.TryParse(text, out var size)) throw new UsageException($"--chunk-size '{text}' is not a size (examples: 4M, 64MiB)");
            chunkSize = size;
        }
        var secret = SwarmSecret.Resolve(a.Value("secret-file"));
        var console = new NodeConsole(context, a.Has("verbose"));
        using var scanLine = new ScanProgressLine(context.Stderr, context.StderrIsTerminal);
        await using var master = new MasterNode(new MasterOptions
        {
            Path = a.Positional[0],
            Port = a.Int("port", MasterOptions.DefaultPort, 0, 65535),
            Bind = a.Value("bind"),
            ChunkSize = chunkSize,
            MaxUploads = a.Int("max-uploads", 4, 1, 64),
            UploadLimitMbit = a.Double("upload-limit", 0, 0, 1e6),
            SwarmUploadLimitMbit = a.Has("swarm-upload-limit") ? a.Double("swarm-upload-limit", 0, 0, 1e6) : null,
            SwarmDownloadLimitMbit = a.Has("swarm-download-limit") ? a.Double("swarm-download-limit", 0, 0, 1e6) : null,
            Exclude = a.Values("exclude"),
            Secret = secret,
        });
        // Attached before the scan: what it skips (links, nested folders) is said as it is found.
        console.Attach("master", master);
        await master.StartServingAsync(scanLine, context.Cancellation).ConfigureAwait(false);
        scanLine.Done();
        console.FollowStates("master", master);
        var address = a.Value("advertise") ?? a.Value("bind") ?? Environment.MachineName;
        context.Stderr.WriteLine($"lanscatter master: serving '{a.Positional[0]}' on port {master.Port}; Ctrl+C stops");
        var secretNote = secret is not null
            ? " with the same swarm secret; the status page asks for the read token (lanscatter secret read-token)" : "";
        context.Stderr.WriteLine($"lanscatter master: peers join with: lanscatter peer DIR {address}:{master.Port}{secretNote}   (status: http://{address}:{master.Port}/)");
        bool ended = await console.ShowUntilEndAsync(master.Completion, () =>
        {
            var s = master.Status;
            return new[] { NodeConsole.Line("master", s) }.Concat(s.Peers.Select(NodeConsole.Line));
        }).ConfigureAwait(false);
        console.Erase();
        // A master ends on its own only when it failed: Completion then throws its error (exit code 1).
        if (ended) await master.Completion.ConfigureAwait(false);
        context.Stderr.WriteLine("lanscatter master: stopping");
        return CliApp.ExitOk;
    }
}
