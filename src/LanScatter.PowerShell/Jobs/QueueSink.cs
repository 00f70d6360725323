using System.Collections.Concurrent;
using System.Management.Automation;

namespace LanScatter.PowerShell.Jobs;

/// <summary>Collects a node's lines for a cmdlet running with -Wait, which writes them from the pipeline thread.</summary>
internal sealed class QueueSink : IStreamSink
{
    private readonly ConcurrentQueue<Action<Cmdlet>> _pending = new();

    public void Verbose(string message) => _pending.Enqueue(c => c.WriteVerbose(message));

    public void Information(string message) => _pending.Enqueue(c => c.WriteVerbose(message));

    public void Warning(string message) => _pending.Enqueue(c => c.WriteWarning(message));

    public void Error(ErrorRecord record) => _pending.Enqueue(c => c.WriteError(record));

    /// <summary>Writes what has arrived; call on the pipeline thread only.</summary>
    public void Drain(Cmdlet cmdlet)
    {
        while (_pending.TryDequeue(out var write)) write(cmdlet);
    }
}
