using System.Management.Automation;
using LanScatter.Core.Diagnostics;

namespace LanScatter.PowerShell.Jobs;

/// <summary>Error records with the engine's stable ErrorId and a category a script can test.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(Exception exception, object? target)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        return exception is LanScatterException ls
            ? new ErrorRecord(ls, ls.ErrorId, Category(ls.ErrorId), target)
            : new ErrorRecord(exception, "UnexpectedError", ErrorCategory.NotSpecified, target);
    }

    private static ErrorCategory Category(string errorId) => errorId switch
    {
        "FolderNotFound" => ErrorCategory.ObjectNotFound,
        "NotAFolder" or "InvalidOption" or "InvalidAddress" or "NestedFolder" or "InvalidSecret" => ErrorCategory.InvalidArgument,
        "Unauthorized" => ErrorCategory.SecurityError,
        "PortInUse" => ErrorCategory.ResourceUnavailable,
        "FolderNotEmpty" => ErrorCategory.ResourceExists,
        "MasterUnreachable" => ErrorCategory.ConnectionError,
        "Refused" or "ControlRefused" => ErrorCategory.PermissionDenied,
        "ProtocolError" or "InvalidManifest" or "InvalidResponse" => ErrorCategory.InvalidData,
        "FolderUnusable" or "DeleteFailed" or "LocalDiskError" or "StateFolderRemoved" => ErrorCategory.WriteError,
        _ => ErrorCategory.ReadError,
    };
}
