namespace LanScatter.Core.Diagnostics;

/// <summary>
/// An error a user can act on (bad input, unreadable file, refused operation). Hosts print its
/// message as one line, without a stack trace. <see cref="ErrorId"/> is stable for scripts.
/// </summary>
public class LanScatterException : Exception
{
    public LanScatterException(string errorId, string message, Exception? inner = null) : base(message, inner)
    {
        ErrorId = errorId;
    }

    /// <summary>A stable identifier such as <c>FolderNotFound</c> (PowerShell's ErrorRecord uses it).</summary>
    public string ErrorId { get; }
}
