using System.Globalization;

namespace LanScatter.Core.Nodes;

/// <summary>How a change of limits reads in logs and confirmations (Mbit/s; 0 = unlimited, null = unchanged).</summary>
public static class BandwidthLimits
{
    public static string Describe(double? uploadMbit, double? downloadMbit) => $"upload {Describe(uploadMbit)}, download {Describe(downloadMbit)}";

    /// <summary>Largest limit accepted, in Mbit/s (1 Tbit/s).</summary>
    public const double MaxMbit = 1e6;

    /// <summary>True for absent (unchanged) or a limit from 0 (unlimited) to <see cref="MaxMbit"/>; NaN, negative and huge are not.</summary>
    public static bool IsValid(double? mbit) => mbit is null || (mbit.Value >= 0 && mbit.Value <= MaxMbit);

    private static string Describe(double? mbit) => mbit switch
    {
        null => "unchanged",
        0 => "unlimited",
        _ => mbit.Value.ToString(CultureInfo.InvariantCulture) + " Mbit/s",
    };
}
