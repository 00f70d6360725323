using System.Management.Automation;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Nodes;
using Microsoft.Extensions.Logging;

namespace LanScatter.PowerShell.Jobs;

/// <summary>
/// What Start-LsMaster and Start-LsPeer share: start the node so that a bad path or a port in use
/// is an error record before any job exists, then either hand it to a <see cref="LanScatterJob"/>
/// or (-Wait) follow it on the pipeline thread: progress while it runs, one <see cref="NodeResult"/>
/// at the end, a terminating error when it fails.
/// </summary>
internal sealed class NodeLauncher
{
    private readonly PSCmdlet _cmdlet;
    private readonly string _role;
    private readonly string _path;
    private readonly string? _master;
    private readonly Func<ILogger, ISwarmNode> _create;
    private ISwarmNode? _node;

    public NodeLauncher(PSCmdlet cmdlet, string role, string path, string? master, Func<ILogger, ISwarmNode> create)
    {
        _cmdlet = cmdlet;
        _role = role;
        _path = path;
        _master = master;
        _create = create;
    }

    /// <summary>Starts a node as a job in the session's repository and writes the job.</summary>
    public void StartJob(string jobName)
    {
        var sink = new JobSink();
        var node = TryCreate(sink);
        if (node is null) return;
        var job = new LanScatterJob(_cmdlet.MyInvocation.Line, jobName, node, _role, _path, _master);
        sink.Attach(job);
        if (!TryStart(node)) return;
        job.StartJob();
        _cmdlet.JobRepository.Add(job);
        _cmdlet.WriteObject(job);
    }

    /// <summary>Runs a node until it ends (or Ctrl+C), writing its streams from this thread.</summary>
    public void RunAndWait()
    {
        var sink = new QueueSink();
        var node = TryCreate(sink);
        if (node is null) return;
        var startedUtc = DateTime.UtcNow;
        if (!TryStart(node)) return;
        _node = node;
        var progress = new ProgressReport(_role, _path);
        var nextProgress = DateTime.UtcNow;
        while (!((IAsyncResult)node.Completion).AsyncWaitHandle.WaitOne(200))
        {
            sink.Drain(_cmdlet);
            if (DateTime.UtcNow >= nextProgress)
            {
                _cmdlet.WriteProgress(progress.For(node.Status));
                nextProgress = DateTime.UtcNow.AddSeconds(1);
            }
        }
        sink.Drain(_cmdlet);
        _cmdlet.WriteProgress(progress.Completed(node.Status));
        var result = NodeResult.From(node, _role, _path, _master, startedUtc);
        if (node.Completion.IsFaulted)
        {
            // The result still goes out first: a fan-out collects what every host did, failures included.
            _cmdlet.WriteObject(result);
            _cmdlet.ThrowTerminatingError(ErrorRecords.From(node.Completion.Exception!, _path));
        }
        _cmdlet.WriteObject(result);
    }

    /// <summary>Ctrl+C during -Wait: a clean stop (partial files kept).</summary>
    public void Stop() => _node?.StopAsync().GetAwaiter().GetResult();

    private ISwarmNode? TryCreate(IStreamSink sink)
    {
        try
        {
            return _create(new StreamLoggerProvider(sink).CreateLogger("LanScatter"));
        }
        catch (LanScatterException ex)
        {
            _cmdlet.WriteError(ErrorRecords.From(ex, _path));
            return null;
        }
    }

    private bool TryStart(ISwarmNode node)
    {
        try
        {
            node.Start();
            return true;
        }
        catch (LanScatterException ex)
        {
            node.StopAsync().GetAwaiter().GetResult();
            _cmdlet.WriteError(ErrorRecords.From(ex, _path));
            return false;
        }
    }
}
