using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.Core.Security;

namespace LanScatter.Cli.Commands;

/// <summary><c>lanscatter peer DIR HOST[:PORT]</c>: mirror the master's folder into DIR.</summary>
internal static class PeerCommand
{
    public const string Usage = "lanscatter peer DIR HOST[:PORT] [--port P] [--max-downloads N] [--max-uploads N] [--download-limit MBIT] [--upload-limit MBIT] [--once] [--connect-timeout S] [--force] [--dry-run] [--bind ADDRESS] [--advertise ADDRESS] [--exclude PATTERN]... [--secret-file FILE]";

    // How long a --once peer that is done keeps serving the uploads already running.
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

    public const string Help = """
        Makes DIR a mirror of the master's folder (files not on the master are deleted), shares
        chunks with other peers, and keeps following the master until Ctrl+C.
          --once                 exit 0 once DIR is in sync and uploads to other peers already running have
                                 ended (at most 30 s more; non-zero with a reason on failure)
          --connect-timeout S    give up if the master cannot be reached for S seconds at start (default 60; 0 = never)
          --force                take over a non-empty folder never synced by LanScatter
          --dry-run              only list what would be created, changed, deleted and kept
          --exclude PATTERN      leave matching local paths alone: never overwritten nor deleted, the master's
                                 copies not fetched (repeatable; wildcards as for the master: *.log, config/local.json)
          --port P               port to serve chunks to other peers (default 10565)
          --max-downloads N      concurrent downloads (default 4); --max-uploads N uploads (default 4)
          --download-limit MBIT  download limit in Mbit/s; --upload-limit MBIT upload limit (default: unlimited)
          --bind ADDRESS         listen on this address only (default: all interfaces)
          --advertise ADDRESS    address other peers use to reach this one (default: as the master sees it)
          --secret-file FILE     the swarm secret, in a file (default: the LANSCATTER_SECRET environment variable);
                                 the same as the master's, or the peer is refused (exit code 1)
          --verbose              also log each failed transfer
        """;

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var a = Arguments.Parse(args,
            new HashSet<string> { "port", "max-downloads", "max-uploads", "download-limit", "upload-limit", "bind", "advertise", "connect-timeout", "exclude", "secret-file" },
            new HashSet<string> { "once", "force", "dry-run", "verbose" });
        if (a.Positional.Count != 2) throw new UsageException("expected a folder and the master's address: " + Usage);
        var (host, masterPort) = Arguments.Address(a.Positional[1], MasterOptions.DefaultPort);
        bool once = a.Has("once");
        int connectTimeout = a.Int("connect-timeout", 60, 0, 86_400);
        var options = new PeerOptions
        {
            Path = a.Positional[0],
            MasterHost = host,
            MasterPort = masterPort,
            Port = a.Int("port", PeerOptions.DefaultPort, 0, 65535),
            Bind = a.Value("bind"),
            Advertise = a.Value("advertise"),
            MaxDownloads = a.Int("max-downloads", 4, 1, 64),
            MaxUploads = a.Int("max-uploads", 4, 0, 64),
            DownloadLimitMbit = a.Double("download-limit", 0, 0, 1e6),
            UploadLimitMbit = a.Double("upload-limit", 0, 0, 1e6),
            Force = a.Has("force"),
            Once = once,
            ConnectTimeout = connectTimeout == 0 ? null : TimeSpan.FromSeconds(connectTimeout),
            LeaveTimeout = LeaveTimeout,
            Exclude = a.Values("exclude"),
            Secret = SwarmSecret.Resolve(a.Value("secret-file")),
        };

        if (a.Has("dry-run"))
        {
            var preview = await PeerNode.PreviewAsync(options, context.Cancellation).ConfigureAwait(false);
            foreach (var p in preview.Create) context.Stdout.WriteLine("create  " + p);
            foreach (var p in preview.Change) context.Stdout.WriteLine("change  " + p);
            foreach (var p in preview.Delete) context.Stdout.WriteLine("delete  " + p);
            foreach (var p in preview.CreateFolders) context.Stdout.WriteLine("mkdir   " + p);
            foreach (var p in preview.Keep) context.Stdout.WriteLine("keep    " + p + " (excluded)");
            context.Stdout.WriteLine($"{preview.Create.Count} to create, {preview.Change.Count} to change, {preview.Delete.Count} to delete, {preview.Keep.Count} kept, {ChunkSizing.Format(preview.BytesToFetch)} to fetch (dry run: nothing changed)");
            return CliApp.ExitOk;
        }

        var console = new NodeConsole(context, a.Has("verbose"));
        await using var peer = new PeerNode(options);
        console.Attach("peer", peer);
        peer.Start();
        console.FollowStates("peer", peer);
        context.Stderr.WriteLine($"lanscatter peer: mirroring {host}:{masterPort} into '{options.Path}', serving on port {peer.Port}; Ctrl+C stops");
        // Once-mode, the connect timeout and leaving gracefully are the node's own; this only shows progress.
        if (!await console.ShowUntilEndAsync(peer.Completion, () => new[] { NodeConsole.Line("peer", peer.Status) }).ConfigureAwait(false))
        {
            console.Erase();
            context.Stderr.WriteLine("lanscatter peer: stopping");
            await peer.StopAsync().ConfigureAwait(false);
            return once ? CliApp.ExitCancelled : CliApp.ExitOk;
        }
        console.Erase();
        try
        {
            await peer.Completion.ConfigureAwait(false);
        }
        catch (LanScatterException ex)
        {
            context.Stderr.WriteLine($"lanscatter peer: error: {ex.Message}");
            return CliApp.ExitFailure;
        }
        context.Stderr.WriteLine($"lanscatter peer: '{options.Path}' is in sync ({ChunkSizing.Format(peer.Status.BytesTotal)})");
        return CliApp.ExitOk;
    }
}
