using System.Management.Automation;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the nodes of a LanScatter swarm: the master and every peer, with state, progress, rates and limits.</para>
/// <para type="description">Reads a master's JSON API (-Master, several names and pipeline input allowed; an unreachable master is a non-terminating error while the others go on), or a job of this session (-Job: a master job gives its whole swarm, a peer job the peer as it sees itself). The objects are flat, so Export-Csv, ConvertTo-Html and ConvertTo-Json give useful columns.</para>
/// </summary>
/// <example>
/// <code>
/// Get-LsSwarm -Master srv01 | Export-Csv D:\reports\swarm.csv -NoTypeInformation
/// </code>
/// <para>A scheduled report: one row per node (the master first) with state, percent, bytes, rates, limits, last error and last seen.</para>
/// </example>
/// <example>
/// <code>
/// Get-LsSwarm -Master srv01, srv02 | Where-Object Percent -lt 100 | Sort-Object Percent | Format-Table Master, Name, Address, State, Percent, Slow
/// </code>
/// <para>The peers of two swarms still syncing, slowest first. An unreachable master is a non-terminating error; the other one is still listed.</para>
/// </example>
/// <example>
/// <code>
/// Get-Job -Name LsMaster | Get-LsSwarm
/// </code>
/// <para>The swarm of a master started in this session with Start-LsMaster.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "LsSwarm", DefaultParameterSetName = MasterSet)]
[OutputType(typeof(SwarmNodeInfo))]
public sealed class GetLsSwarmCommand : PSCmdlet
{
    private const string MasterSet = "Master";
    private LanScatter.Core.Security.SwarmSecret? _secret;
    private const string JobSet = "Job";

    /// <summary><para type="description">The master(s) to ask: HOST or HOST:PORT (default localhost:10564).</para></summary>
    [Parameter(ParameterSetName = MasterSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName")]
    [ValidateNotNullOrEmpty]
    public string[] Master { get; set; } = { "localhost" };

    /// <summary><para type="description">LanScatter job(s) of this session (from Start-LsMaster or Start-LsPeer).</para></summary>
    [Parameter(ParameterSetName = JobSet, Mandatory = true, ValueFromPipeline = true)]
    public LanScatterJob[] Job { get; set; } = Array.Empty<LanScatterJob>();

    /// <summary><para type="description">Seconds to wait for each master's answer (default 10).</para></summary>
    [Parameter(ParameterSetName = MasterSet)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 10;

    /// <summary><para type="description">The swarm secret, as a SecureString, when the master has one: requests are signed with it. Without it (and without -SecretFile or the LANSCATTER_SECRET environment variable) a master with a secret answers Unauthorized.</para></summary>
    [Parameter(ParameterSetName = MasterSet)]
    public System.Security.SecureString? Secret { get; set; }

    /// <summary><para type="description">A file holding the swarm secret, used instead of -Secret.</para></summary>
    [Parameter(ParameterSetName = MasterSet)]
    [ValidateNotNullOrEmpty]
    public string? SecretFile { get; set; }

    protected override void BeginProcessing()
    {
        if (ParameterSetName == MasterSet) _secret = SecretParameters.Resolve(this, Secret, SecretFile);
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == JobSet)
        {
            foreach (var job in Job) WriteObject(SwarmOf(job), enumerateCollection: true);
            return;
        }
        foreach (var name in Master)
        {
            try
            {
                using var client = SwarmClient.ForMaster(name, TimeSpan.FromSeconds(TimeoutSec), _secret);
                WriteObject(client.GetSwarmAsync().GetAwaiter().GetResult().Nodes, enumerateCollection: true);
            }
            catch (LanScatterException ex)
            {
                WriteError(ErrorRecords.From(ex, name));
            }
        }
    }

    internal static IEnumerable<SwarmNodeInfo> SwarmOf(LanScatterJob job)
    {
        var status = job.NodeStatus;
        if (job.Role == "master")
        {
            var label = HostAddress.Format("localhost", job.Port);
            var doc = SwarmView.FromMaster(status, Environment.MachineName);
            foreach (var n in doc.Nodes) n.Master = label;
            return doc.Nodes;
        }
        var self = SwarmView.FromPeer(status, Environment.MachineName);
        self.Master = job.Master ?? "";
        return new[] { self };
    }
}
