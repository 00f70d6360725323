using System.Globalization;

namespace LanScatter.Core.Nodes;

/// <summary>How a change of limits reads in logs and confirmations (Mbit/s; 0 = unlimited, null = unchanged).</summary>
public static class BandwidthLimits
{
    public static string Describe(double? uploadMbit, double? downloadMbit) => $"upload {Describe(uploadMbit)}, download {Describe(downloadMbit)}";

    private static string Describe(double? mbit) => mbit switch
    {
        null => "unchanged",
        0 => "unlimited",
        _ => mbit.Value.ToString(CultureInfo.InvariantCulture) + " Mbit/s",
    };
}
