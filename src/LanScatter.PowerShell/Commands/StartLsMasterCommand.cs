using System.Management.Automation;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Serves a folder to a LanScatter swarm: scans it into chunks, coordinates the peers and follows changes to it.</para>
/// <para type="description">Starts a master as a job (Get-Job, Receive-Job, Stop-Job work on it) and returns the job at once; with -Wait it runs in the foreground until Ctrl+C. A missing folder or a port in use is an error before any job exists. http://HOST:PORT/ shows the swarm.</para>
/// </summary>
/// <example>
/// <code>
/// $master = Start-LsMaster -Path D:\data
/// $master | Receive-Job            # milestones so far: Scanning, Serving, ...
/// Stop-Job $master; Remove-Job $master
/// </code>
/// <para>Serves D:\data on the default port 10564 as a job of this session and returns the job at once. The peers' progress is at http://THIS-HOST:10564/ and in Get-LsSwarm; Stop-Job stops the master and frees the port.</para>
/// </example>
/// <example>
/// <code>
/// Start-LsMaster -Path /srv/images -Exclude *.tmp, scratch -UploadMbps 800 -Wait
/// </code>
/// <para>Runs in the foreground (in a scheduled task, a service or a terminal) until stopped, leaving temporary files and the scratch folder out of the swarm and keeping the master's own upload under 800 Mbit/s; Ctrl+C stops it and writes one result object.</para>
/// </example>
/// <example>
/// <code>
/// $master = Start-LsMaster -Path $HOME/share -Port 0 -Bind 127.0.0.1
/// "peers join with: Start-LsPeer -Path &lt;folder&gt; -Master 127.0.0.1:$($master.Port)"
/// </code>
/// <para>Port 0 lets the system pick a free port; the job's Port property says which one.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "LsMaster")]
[OutputType(typeof(LanScatterJob), typeof(NodeResult))]
public sealed class StartLsMasterCommand : PSCmdlet
{
    private NodeLauncher? _launcher;

    /// <summary><para type="description">The folder to distribute.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary><para type="description">TCP port for peers and the status page (default 10564; 0 picks a free port, see the job's Port).</para></summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = MasterOptions.DefaultPort;

    /// <summary><para type="description">Listen on this address only (default: all interfaces).</para></summary>
    [Parameter]
    public string? Bind { get; set; }

    /// <summary><para type="description">Chunk size in bytes, e.g. 64MB (default: adaptive, 4 MiB to 128 MiB).</para></summary>
    [Parameter]
    [ValidateRange(ChunkSizing.MinExplicit, ChunkSizing.MaxExplicit)]
    public long ChunkSize { get; set; }

    /// <summary><para type="description">Concurrent uploads from the master (default 4).</para></summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int MaxUploads { get; set; } = 4;

    /// <summary><para type="description">The master's upload limit in Mbit/s (default 0: unlimited).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double UploadMbps { get; set; }

    /// <summary><para type="description">Paths not distributed: left out of what peers mirror, so a peer deletes its own copies there unless its -Exclude keeps them. PowerShell wildcards, case-insensitive: a pattern without / matches a file or folder name at any depth (*.tmp, Thumbs.db); one with / matches the path from the folder (logs/*, build/cache).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Exclude { get; set; } = Array.Empty<string>();

    /// <summary><para type="description">The master's name in the swarm view (default: this computer's name).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary><para type="description">The swarm secret, as a SecureString (Read-Host -AsSecureString, Get-Credential, a secret vault). Master and peers need the same one: with it peers prove themselves on joining and every request is signed; without one (and without -SecretFile or the LANSCATTER_SECRET environment variable) the swarm is open to anyone who reaches its port.</para></summary>
    [Parameter]
    public System.Security.SecureString? Secret { get; set; }

    /// <summary><para type="description">A file holding the swarm secret (surrounding white space ignored; lanscatter secret new makes one). Used instead of -Secret; with neither, the LANSCATTER_SECRET environment variable is read.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretFile { get; set; }

    /// <summary><para type="description">The job's name (default LsMaster).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string JobName { get; set; } = "LsMaster";

    /// <summary><para type="description">Run in the foreground until Ctrl+C instead of as a job; writes one result object when it ends.</para></summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var options = new MasterOptions
        {
            Path = path,
            Port = Port,
            Bind = Bind,
            ChunkSize = MyInvocation.BoundParameters.ContainsKey(nameof(ChunkSize)) ? ChunkSize : null,
            MaxUploads = MaxUploads,
            UploadLimitMbit = UploadMbps,
            Name = Name,
            Exclude = Exclude,
            Secret = SecretParameters.Resolve(this, Secret, SecretFile),
        };
        _launcher = new NodeLauncher(this, "master", path, null, logger => new MasterNode(options, logger));
        if (Wait) _launcher.RunAndWait();
        else _launcher.StartJob(JobName);
    }

    protected override void StopProcessing() => _launcher?.Stop();
}
