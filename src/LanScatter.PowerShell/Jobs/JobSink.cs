using System.Management.Automation;

namespace LanScatter.PowerShell.Jobs;

/// <summary>Writes into a job's stream collections (any thread may add to them).</summary>
internal sealed class JobSink : IStreamSink
{
    private Job? _job;

    /// <summary>The job, once created (the node's first lines can come before).</summary>
    public void Attach(Job job) => _job = job;

    public void Verbose(string message) => _job?.Verbose.Add(new VerboseRecord(message));

    // Information lines are the engine's milestones in words: Verbose keeps Receive-Job's output quiet by default.
    public void Information(string message) => _job?.Verbose.Add(new VerboseRecord(message));

    public void Warning(string message) => _job?.Warning.Add(new WarningRecord(message));

    public void Error(ErrorRecord record) => _job?.Error.Add(record);
}
