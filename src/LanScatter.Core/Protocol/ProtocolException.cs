using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Protocol;

/// <summary>A message that breaks the protocol. <see cref="Fatal"/> ones close the connection.</summary>
internal sealed class ProtocolException : LanScatterException
{
    public ProtocolException(string message, bool fatal, Exception? inner = null) : base("ProtocolViolation", message, inner)
    {
        Fatal = fatal;
    }

    public bool Fatal { get; }
}
