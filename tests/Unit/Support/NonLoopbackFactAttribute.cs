using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LanScatter.Tests.Support;

/// <summary>A test that needs an address of this machine other than loopback: reported as skipped where there is none.</summary>
internal sealed class NonLoopbackFactAttribute : FactAttribute
{
    public NonLoopbackFactAttribute()
    {
        if (Address.Value is null) Skip = "this machine has no IPv4 address other than loopback";
    }

    /// <summary>An IPv4 address of an interface that is up and not loopback (traffic to it stays on this machine).</summary>
    public static readonly Lazy<IPAddress?> Address = new(() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)));
}
