using System.Management.Automation;

namespace LanScatter.PowerShell.Jobs;

/// <summary>
/// Where a node's log lines and objects go: straight into a job's streams, or (for -Wait, where
/// only the pipeline thread may write) into a queue the cmdlet drains.
/// </summary>
internal interface IStreamSink
{
    void Verbose(string message);
    void Information(string message);
    void Warning(string message);
    void Error(ErrorRecord record);
}
