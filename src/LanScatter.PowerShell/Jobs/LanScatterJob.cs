using System.ComponentModel;
using System.Management.Automation;
using LanScatter.Core.Nodes;

namespace LanScatter.PowerShell.Jobs;

/// <summary>
/// A running master or peer as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job and
/// Remove-Job work on it). Its Output gets a milestone object per state change and a result object
/// at the end, Progress a record at most once a second, Verbose/Warning/Error the engine's log. It
/// ends Completed (a once-peer in sync), Stopped (Stop-Job: port freed, partial files kept) or
/// Failed (the reason in JobStateInfo.Reason and the Error stream).
/// </summary>
public sealed class LanScatterJob : Job2
{
    // Progress records kept for Receive-Job: the newest tell all, and a long-running master must not grow without end.
    private const int ProgressKept = 30;

    private readonly ISwarmNode _node;
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private readonly ProgressReport _progress;
    private Timer? _progressTimer;
    private volatile bool _stopRequested;

    internal LanScatterJob(string command, string name, ISwarmNode node, string role, string path, string? master) : base(command, name)
    {
        PSJobTypeName = "LanScatter";
        _node = node;
        Role = role;
        Path = path;
        Master = master;
        _progress = new ProgressReport(role, path);
        node.StateChanged += (_, status) => Output.Add(PSObject.AsPSObject(NodeMilestone.From(status, path)));
    }

    /// <summary>master or peer.</summary>
    public string Role { get; }

    /// <summary>The folder the node serves or mirrors.</summary>
    public string Path { get; }

    /// <summary>The master a peer follows (HOST:PORT); null for a master.</summary>
    public string? Master { get; }

    /// <summary>The port the node listens on.</summary>
    public int Port => _node.Port;

    internal ISwarmNode Node => _node;

    /// <summary>The node's newest status.</summary>
    public NodeStatus NodeStatus => _node.Status;

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Verbose.Count > 0 || Warning.Count > 0 || Information.Count > 0;

    public override string Location => Environment.MachineName;

    public override string StatusMessage
    {
        get
        {
            var s = _node.Status;
            return s.State + (s.BytesTotal > 0 ? $" {Math.Round(100.0 * s.BytesDone / s.BytesTotal, 1)}%" : "");
        }
    }

    /// <summary>Marks the job running and follows the node to its end; the cmdlet has already started the node.</summary>
    public override void StartJob()
    {
        SetJobState(JobState.Running);
        _progressTimer = new Timer(_ => AddProgress(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _ = FollowAsync();
    }

    private void AddProgress()
    {
        try
        {
            Progress.Add(_progress.For(_node.Status));
            while (Progress.Count > ProgressKept) Progress.RemoveAt(0);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or ArgumentOutOfRangeException)
        {
            // The job is being removed or the collection was drained meanwhile.
        }
    }

    private async Task FollowAsync()
    {
        Exception? failure = null;
        try
        {
            await _node.Completion.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        _progressTimer?.Dispose();
        Progress.Add(_progress.Completed(_node.Status));
        Output.Add(PSObject.AsPSObject(NodeResult.From(_node, Role, Path, Master, _startedUtc)));
        if (failure is not null)
        {
            Error.Add(ErrorRecords.From(failure, Path));
            SetFailed(failure);
        }
        else SetJobState(_stopRequested ? JobState.Stopped : JobState.Completed);
    }

    // Job.SetJobState(state, reason) — the one way to fill JobStateInfo.Reason — is internal in every
    // PowerShell (5.1 and 7); ThreadJob-style jobs of other modules reach it the same way. Without it,
    // the job still ends Failed, with the reason in its Error stream.
    private static readonly System.Reflection.MethodInfo? SetStateWithReason = typeof(Job).GetMethod(
        "SetJobState", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, new[] { typeof(JobState), typeof(Exception) }, null);

    private void SetFailed(Exception reason)
    {
        if (reason is AggregateException { InnerExceptions.Count: 1 } aggregate) reason = aggregate.InnerExceptions[0];
        if (SetStateWithReason is not null) SetStateWithReason.Invoke(this, new object[] { JobState.Failed, reason });
        else SetJobState(JobState.Failed);
    }

    public override void StopJob() => StopJob(false, "");

    public override void StopJob(bool force, string reason)
    {
        if (IsFinishedState(JobStateInfo.State)) return;
        _stopRequested = true;
        SetJobState(JobState.Stopping);
        _node.StopAsync().GetAwaiter().GetResult();
        // FollowAsync sets the final state once Completion ends; wait for it so Stop-Job returns a stopped job.
        Finished.WaitOne(TimeSpan.FromSeconds(30));
    }

    public override void StopJobAsync() => StopJobAsync(false, "");

    public override void StopJobAsync(bool force, string reason) => Task.Run(() =>
    {
        Exception? error = null;
        try { StopJob(force, reason); } catch (Exception ex) { error = ex; }
        OnStopJobCompleted(new AsyncCompletedEventArgs(error, false, null));
    });

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void SuspendJob() => throw NotSupported("suspended");
    public override void SuspendJob(bool force, string reason) => throw NotSupported("suspended");
    public override void SuspendJobAsync() => throw NotSupported("suspended");
    public override void SuspendJobAsync(bool force, string reason) => throw NotSupported("suspended");
    public override void ResumeJob() => throw NotSupported("resumed");
    public override void ResumeJobAsync() => throw NotSupported("resumed");
    public override void UnblockJob() => throw NotSupported("unblocked");
    public override void UnblockJobAsync() => throw NotSupported("unblocked");

    private static NotSupportedException NotSupported(string what) =>
        new($"a LanScatter job cannot be {what}: stop it (partial files are kept) and start it again to resume");

    private static bool IsFinishedState(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _progressTimer?.Dispose();
            if (!IsFinishedState(JobStateInfo.State)) _node.StopAsync().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }
}
