using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>
/// SO_RCVLOWAT on a socket that receives chunk bodies: the kernel wakes the reader only once that
/// many bytes are in (or the sender closed, or the window is full), so a body arrives in a few
/// large reads instead of one wake-up, system call and thread-pool hop per few packets. Linux and
/// macOS honour it for TCP; Windows refuses the option, and then reads stay as they were.
/// </summary>
internal static class ReceiveLowWater
{
    private static readonly bool s_windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    private static int s_refused;

    /// <summary>False where reads wake on any bytes (Windows, or the option was refused).</summary>
    public static bool IsSupported => !s_windows && Volatile.Read(ref s_refused) == 0;

    /// <summary>False when the platform does not take the option (then every read wakes on any bytes).</summary>
    public static bool TrySet(Socket socket, int bytes)
    {
        if (!IsSupported) return false;
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveLowWater, bytes);
            return true;
        }
        catch (SocketException)
        {
            // Not taken here: reads go on waking at any bytes, as they would without it.
            Volatile.Write(ref s_refused, 1);
            return false;
        }
    }
}
