using System.Management.Automation;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Makes a folder a mirror of a LanScatter master's folder, fetching chunks from the master and from other peers.</para>
/// <para type="description">Files not on the master are deleted (except paths given to -Exclude); files being built live in .lanscatter/partial and get their final name only when complete and verified; a stopped peer resumes where it was. Starts a job and returns it at once; with -Wait it runs in the foreground and writes one result object (use -Once -Wait with Invoke-Command and in scheduled tasks). -WhatIf lists what would be created, changed, deleted and kept.</para>
/// </summary>
/// <example>
/// <code>
/// Start-LsPeer -Path D:\data -Master srv01
/// </code>
/// <para>The line in a script: mirrors srv01's folder into D:\data as a job and keeps following the master's changes. Get-Job, Receive-Job (milestones, then a result), Stop-Job and Remove-Job work on it; a stopped peer resumes where it was.</para>
/// </example>
/// <example>
/// <code>
/// $secret = Read-Host -AsSecureString 'swarm secret'
/// Invoke-Command -ComputerName (Get-Content hosts.txt) {
///     Start-LsPeer -Path D:\data -Master srv01 -Secret $using:secret -Once -Wait
/// } | Select-Object PSComputerName, InSync, BytesFromPeers, BytesFromMaster, Duration
/// </code>
/// <para>Fan-out: every host in hosts.txt syncs at once, fetching mostly from each other, with the swarm's secret (asked once, sent to each session as a SecureString). -Once -Wait runs in the foreground of each remote session (a job would die with the session) and returns one result per host; a host that fails returns an error with its name while the others go on. Add -AsJob to Invoke-Command to get the whole fan-out as one job.</para>
/// </example>
/// <example>
/// <code>
/// pwsh -NoProfile -Command "Start-LsPeer -Path D:\data -Master srv01 -Once -Wait"
/// if ($LASTEXITCODE -ne 0) { Add-Content D:\logs\lanscatter.txt "$(Get-Date -Format s) sync failed, exit code $LASTEXITCODE" }
/// </code>
/// <para>A scheduled task: pwsh exits 0 once D:\data is in sync, 1 when it failed (master unreachable for -ConnectTimeoutSec, disk error), with the reason on the error stream.</para>
/// </example>
/// <example>
/// <code>
/// Start-LsPeer -Path D:\data -Master srv01:10564 -Exclude logs, config\local.json -WhatIf
/// </code>
/// <para>Lists, changing nothing, every file that joining would create, change or delete, and the excluded local paths it would keep.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "LsPeer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LanScatterJob), typeof(NodeResult))]
public sealed class StartLsPeerCommand : PSCmdlet
{
    private NodeLauncher? _launcher;

    /// <summary><para type="description">The folder to keep identical to the master's (created when missing).</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary><para type="description">The master: HOST or HOST:PORT (default port 10564); IPv6 as [ADDRESS]:PORT.</para></summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Master { get; set; } = "";

    /// <summary><para type="description">TCP port this peer serves chunks to other peers on (default 10565; 0 picks a free port).</para></summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = PeerOptions.DefaultPort;

    /// <summary><para type="description">Listen on this address only (default: all interfaces).</para></summary>
    [Parameter]
    public string? Bind { get; set; }

    /// <summary><para type="description">The address other peers use to reach this one (default: the address the master sees).</para></summary>
    [Parameter]
    public string? Advertise { get; set; }

    /// <summary><para type="description">Concurrent downloads (default 4).</para></summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int MaxDownloads { get; set; } = 4;

    /// <summary><para type="description">Concurrent uploads to other peers (default 4; 0 serves none).</para></summary>
    [Parameter]
    [ValidateRange(0, 64)]
    public int MaxUploads { get; set; } = 4;

    /// <summary><para type="description">Download limit in Mbit/s (default 0: unlimited).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double DownloadMbps { get; set; }

    /// <summary><para type="description">Upload limit in Mbit/s (default 0: unlimited).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double UploadMbps { get; set; }

    /// <summary><para type="description">Take over a non-empty folder never synced by LanScatter (files not on the master are deleted).</para></summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary><para type="description">End once the folder is in sync (the job Completes; with -Wait the result's InSync is true) instead of following the master.</para></summary>
    [Parameter]
    public SwitchParameter Once { get; set; }

    /// <summary><para type="description">Run in the foreground and write one result object when done; a failure is a terminating error (pwsh exits 1).</para></summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary><para type="description">Give up when the master cannot be reached for this many seconds at start (default 60; 0 retries for ever).</para></summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int ConnectTimeoutSec { get; set; } = 60;

    /// <summary><para type="description">Local paths left alone: never overwritten nor deleted (logs, local configuration), the master's files there not fetched. PowerShell wildcards, case-insensitive: a pattern without / matches a file or folder name at any depth (*.log, cache); one with / matches the path from the folder (config/local.json, logs/*). -WhatIf lists them as kept.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Exclude { get; set; } = Array.Empty<string>();

    /// <summary><para type="description">This peer's name in the swarm view (default: this computer's name).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary><para type="description">The swarm secret, as a SecureString (Read-Host -AsSecureString, Get-Credential, a secret vault): the master's own. The peer proves it on joining and follows only a master that proves it too; a wrong or missing secret fails the peer at once (ErrorId Unauthorized). With neither -Secret nor -SecretFile the LANSCATTER_SECRET environment variable is read.</para></summary>
    [Parameter]
    public System.Security.SecureString? Secret { get; set; }

    /// <summary><para type="description">A file holding the swarm secret (surrounding white space ignored), used instead of -Secret.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretFile { get; set; }

    /// <summary><para type="description">The job's name (default LsPeer).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string JobName { get; set; } = "LsPeer";

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        PeerOptions options;
        try
        {
            var (host, port) = HostAddress.Parse(Master, MasterOptions.DefaultPort);
            options = new PeerOptions
            {
                Path = path, MasterHost = host, MasterPort = port, Port = Port, Bind = Bind, Advertise = Advertise,
                MaxDownloads = MaxDownloads, MaxUploads = MaxUploads, DownloadLimitMbit = DownloadMbps, UploadLimitMbit = UploadMbps,
                Force = Force, Once = Once, ConnectTimeout = ConnectTimeoutSec == 0 ? null : TimeSpan.FromSeconds(ConnectTimeoutSec), Name = Name,
                Exclude = Exclude,
                Secret = SecretParameters.Resolve(this, Secret, SecretFile),
            };
            PathFilter.Parse(Exclude);
        }
        catch (LanScatterException ex)
        {
            WriteError(ErrorRecords.From(ex, ex.Message.Contains("exclude pattern") ? string.Join(", ", Exclude) : Master));
            return;
        }
        var master = HostAddress.Format(options.MasterHost, options.MasterPort);
        if (!ShouldProcess(path, $"Mirror {master} into this folder (creates, changes and deletes files)"))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf")) ShowPreview(options);
            return;
        }
        _launcher = new NodeLauncher(this, "peer", path, master, logger => new PeerNode(options, logger));
        if (Wait) _launcher.RunAndWait();
        else _launcher.StartJob(JobName);
    }

    // -WhatIf: what joining would do, one "What if" line per file, read from the master's manifest.
    private void ShowPreview(PeerOptions options)
    {
        try
        {
            var preview = PeerNode.PreviewAsync(options).GetAwaiter().GetResult();
            foreach (var p in preview.Create) ShouldProcess(p, "Create file");
            foreach (var p in preview.Change) ShouldProcess(p, "Change file");
            foreach (var p in preview.Delete) ShouldProcess(p, "Delete");
            foreach (var p in preview.CreateFolders) ShouldProcess(p, "Create folder");
            foreach (var p in preview.Keep) ShouldProcess(p, "Keep (excluded)");
            ShouldProcess(options.Path, $"{preview.Create.Count} to create, {preview.Change.Count} to change, {preview.Delete.Count} to delete, {preview.Keep.Count} kept, {ChunkSizing.Format(preview.BytesToFetch)} to fetch");
        }
        catch (LanScatterException ex)
        {
            WriteError(ErrorRecords.From(ex, options.Path));
        }
    }

    protected override void StopProcessing() => _launcher?.Stop();
}
