using System.Management.Automation;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Manifest;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Scans a folder into a LanScatter manifest (files, sizes, times, chunk ids).</para>
/// <para type="description">Hashes the folder's chunks with BLAKE2b-256, reusing cached hashes of unchanged files.</para>
/// </summary>
/// <example>
/// <code>
/// Get-LsManifest -Path D:\data | Select-Object -ExpandProperty Files | Sort-Object Size -Descending | Select-Object -First 10 Path, Size
/// </code>
/// <para>The ten largest files of a folder as LanScatter sees it.</para>
/// </example>
/// <example>
/// <code>
/// Get-LsManifest D:\data -ChunkSize 64MB -AsJson | Set-Content D:\reports\manifest.json
/// </code>
/// <para>The manifest as JSON (the form a master sends its peers), with 64 MiB chunks.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "LsManifest")]
[OutputType(typeof(FolderManifest), typeof(string))]
public sealed class GetLsManifestCommand : PSCmdlet
{
    private CancellationTokenSource? _stop;

    /// <summary><para type="description">The folder to scan.</para></summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary><para type="description">Chunk size in bytes (e.g. 64MB); adaptive when omitted.</para></summary>
    [Parameter]
    [ValidateRange(ChunkSizing.MinExplicit, ChunkSizing.MaxExplicit)]
    public long ChunkSize { get; set; }

    /// <summary><para type="description">Hash every file; do not use the folder's hash cache.</para></summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    /// <summary><para type="description">Emit the manifest as JSON text instead of an object.</para></summary>
    [Parameter]
    public SwitchParameter AsJson { get; set; }

    protected override void ProcessRecord()
    {
        var root = GetUnresolvedProviderPathFromPSPath(Path);
        using var stop = _stop = new CancellationTokenSource();
        var progress = new LatestValue<ScanProgress>();
        var scan = FolderScanner.ScanAsync(root, new ScanOptions
        {
            ChunkSize = MyInvocation.BoundParameters.ContainsKey(nameof(ChunkSize)) ? ChunkSize : null,
            UseHashCache = !NoCache,
            Progress = progress,
        }, stop.Token);

        // Progress records may only be written from this (the pipeline) thread.
        var record = new ProgressRecord(1, "Scanning " + root, "Hashing");
        // Task.Wait would throw a fault wrapped in an AggregateException; the handle only waits.
        while (!((IAsyncResult)scan).AsyncWaitHandle.WaitOne(250))
        {
            if (progress.TryTake(out var p) && p.TotalBytes > 0)
            {
                record.PercentComplete = (int)Math.Min(100, 100 * (p.HashedBytes + p.ReusedBytes) / p.TotalBytes);
                WriteProgress(record);
            }
        }
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);

        try
        {
            var manifest = scan.GetAwaiter().GetResult();
            WriteObject(AsJson ? ManifestJson.Serialize(manifest, indented: true) : manifest);
        }
        catch (LanScatterException ex)
        {
            WriteError(ErrorRecords.From(ex, root));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped by Ctrl+C / Stop-Job: nothing to report.
        }
    }

    protected override void StopProcessing() => _stop?.Cancel();
}
