using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Manifest;

/// <summary>A manifest that is malformed or unsafe to apply; the message says which entry and why.</summary>
public sealed class InvalidManifestException : LanScatterException
{
    public InvalidManifestException(string message, Exception? inner = null) : base("InvalidManifest", message, inner) { }
}
