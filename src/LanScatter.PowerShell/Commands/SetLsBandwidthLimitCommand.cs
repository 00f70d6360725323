using System.Management.Automation;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes bandwidth limits of running LanScatter nodes, without a restart.</para>
/// <para type="description">-Job changes one node of this session; -Master changes the whole swarm through its master (every peer, and the master's own upload). A limit of 0 is unlimited; a limit not given stays as it is. Until the swarm has a secret, a master takes this change from its own machine only.</para>
/// </summary>
/// <example>
/// <code>
/// Set-LsBandwidthLimit -Master srv01 -DownloadMbps 200
/// </code>
/// <para>Office hours: every peer of srv01's swarm downloads at most 200 Mbit/s from now on, without a restart. Run on srv01 itself until the swarm has a secret.</para>
/// </example>
/// <example>
/// <code>
/// Get-Job -Name LsPeer | Set-LsBandwidthLimit -UploadMbps 50 -PassThru
/// </code>
/// <para>Limits the uploads of the peers started in this session and writes their rows as Get-LsSwarm would.</para>
/// </example>
/// <example>
/// <code>
/// Set-LsBandwidthLimit -Master srv01 -DownloadMbps 0 -UploadMbps 0
/// </code>
/// <para>Lifts the swarm's limits (0 is unlimited).</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "LsBandwidthLimit", SupportsShouldProcess = true, DefaultParameterSetName = JobSet)]
[OutputType(typeof(SwarmNodeInfo))]
public sealed class SetLsBandwidthLimitCommand : PSCmdlet
{
    private const string MasterSet = "Master";
    private LanScatter.Core.Security.SwarmSecret? _secret;
    private const string JobSet = "Job";

    /// <summary><para type="description">LanScatter job(s) of this session whose node to change (pipeline: Get-Job -Name build* | Set-LsBandwidthLimit ...).</para></summary>
    [Parameter(ParameterSetName = JobSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public LanScatterJob[] Job { get; set; } = Array.Empty<LanScatterJob>();

    /// <summary><para type="description">The master(s) whose whole swarm to change: HOST or HOST:PORT.</para></summary>
    [Parameter(ParameterSetName = MasterSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Master { get; set; } = Array.Empty<string>();

    /// <summary><para type="description">Upload limit in Mbit/s (0: unlimited; not given: unchanged).</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double UploadMbps { get; set; }

    /// <summary><para type="description">Download limit in Mbit/s (0: unlimited; not given: unchanged). A master does not download.</para></summary>
    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double DownloadMbps { get; set; }

    /// <summary><para type="description">Write the changed nodes (as Get-LsSwarm does).</para></summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary><para type="description">The swarm secret, as a SecureString, when the master has one: requests are signed with it. Without it (and without -SecretFile or the LANSCATTER_SECRET environment variable) a master with a secret answers Unauthorized.</para></summary>
    [Parameter(ParameterSetName = MasterSet)]
    public System.Security.SecureString? Secret { get; set; }

    /// <summary><para type="description">A file holding the swarm secret, used instead of -Secret.</para></summary>
    [Parameter(ParameterSetName = MasterSet)]
    [ValidateNotNullOrEmpty]
    public string? SecretFile { get; set; }

    private double? Upload => MyInvocation.BoundParameters.ContainsKey(nameof(UploadMbps)) ? UploadMbps : null;
    private double? Download => MyInvocation.BoundParameters.ContainsKey(nameof(DownloadMbps)) ? DownloadMbps : null;

    protected override void BeginProcessing()
    {
        if (ParameterSetName == MasterSet) _secret = SecretParameters.Resolve(this, Secret, SecretFile);
        if (Upload is null && Download is null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("give -UploadMbps, -DownloadMbps or both (0 = unlimited)"), "NoLimitGiven", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        var change = BandwidthLimits.Describe(Upload, Download);
        if (ParameterSetName == JobSet)
        {
            foreach (var job in Job)
            {
                if (!ShouldProcess($"{job.Name} (Id {job.Id}, {job.Role} {job.Path})", "Set bandwidth limits: " + change)) continue;
                job.Node.SetLimits(Upload, Download);
                if (PassThru) WriteObject(GetLsSwarmCommand.SwarmOf(job).First());
            }
            return;
        }
        foreach (var name in Master)
        {
            if (!ShouldProcess($"the swarm of {name}", "Set bandwidth limits of every node: " + change)) continue;
            try
            {
                using var client = SwarmClient.ForMaster(name, secret: _secret);
                client.SetLimitsAsync(Upload, Download).GetAwaiter().GetResult();
                if (PassThru) WriteObject(client.GetSwarmAsync().GetAwaiter().GetResult().Nodes, enumerateCollection: true);
            }
            catch (LanScatterException ex)
            {
                WriteError(ErrorRecords.From(ex, name));
            }
        }
    }
}
