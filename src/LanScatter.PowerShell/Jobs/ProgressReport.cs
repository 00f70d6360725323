using System.Globalization;
using System.Management.Automation;
using LanScatter.Core.Manifest;
using LanScatter.Core.Nodes;

namespace LanScatter.PowerShell.Jobs;

/// <summary>A node's status as progress records (one activity per node).</summary>
internal sealed class ProgressReport
{
    private static int _nextId;
    private readonly int _activityId = Interlocked.Increment(ref _nextId);
    private readonly string _activity;

    public ProgressReport(string role, string path) => _activity = $"LanScatter {role} {path}";

    public ProgressRecord For(NodeStatus s)
    {
        var inv = CultureInfo.InvariantCulture;
        string text = s.Role == "master" && s.State != NodeState.Scanning
            ? string.Format(inv, "{0}: {1} peers, serving {2:F1} MB/s, {3} sent", s.State, s.Peers.Count, s.UploadBytesPerSecond / 1e6, ChunkSizing.Format(s.BytesFromMaster))
            : string.Format(inv, "{0}: {1} of {2}, down {3:F1} MB/s, up {4:F1} MB/s", s.State, ChunkSizing.Format(s.BytesDone), ChunkSizing.Format(s.BytesTotal), s.DownloadBytesPerSecond / 1e6, s.UploadBytesPerSecond / 1e6);
        var record = new ProgressRecord(_activityId, _activity, text);
        if (s.BytesTotal > 0 && (s.Role == "peer" || s.State == NodeState.Scanning))
            record.PercentComplete = (int)Math.Min(100, 100 * s.BytesDone / s.BytesTotal);
        return record;
    }

    public ProgressRecord Completed(NodeStatus s)
    {
        var record = For(s);
        record.RecordType = ProgressRecordType.Completed;
        return record;
    }
}
