using System.Globalization;
using LanScatter.Core.Diagnostics;

namespace LanScatter.Core.Manifest;

/// <summary>How big chunks are: adaptive by default, or what the user asks for within sane bounds.</summary>
public static class ChunkSizing
{
    public const long MinAdaptive = 4L << 20;
    public const long MaxAdaptive = 128L << 20;

    /// <summary>Smallest size a user may ask for; tiny chunks only add per-chunk overhead.</summary>
    public const long MinExplicit = 4L << 10;

    /// <summary>Largest size a user may ask for; a chunk is one unit of transfer and of retry.</summary>
    public const long MaxExplicit = 1L << 30;

    /// <summary>Chunks a folder should have so the swarm can pipeline (each peer can serve others early).</summary>
    public const int TargetChunkCount = 256;

    /// <summary>A power of two from 4 MiB to 128 MiB giving about <see cref="TargetChunkCount"/> chunks or more.</summary>
    public static long Adaptive(long totalBytes)
    {
        long size = MinAdaptive;
        while (size < MaxAdaptive && totalBytes / (size * 2) >= TargetChunkCount) size *= 2;
        return size;
    }

    /// <summary>Checks an explicit chunk size; the message is one line for the user.</summary>
    public static long Validate(long size)
    {
        if (size < MinExplicit || size > MaxExplicit)
            throw new LanScatterException("InvalidChunkSize",
                $"chunk size {size} bytes is out of range: use {Format(MinExplicit)} to {Format(MaxExplicit)}");
        return size;
    }

    /// <summary>Parses sizes such as 8388608, 512K, 8M, 8MiB, 1G (K/M/G are binary, as in PowerShell's 1MB).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text!.Trim();
        int end = 0;
        while (end < s.Length && char.IsDigit(s[end])) end++;
        if (end == 0 || !long.TryParse(s.Substring(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        long unit = s.Substring(end).Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => 0,
        };
        if (unit == 0 || number > long.MaxValue / unit) return false;
        bytes = number * unit;
        return true;
    }

    /// <summary>A size for people: 4 KiB, 8 MiB, 1.5 GiB.</summary>
    public static string Format(long bytes)
    {
        string[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
        double value = bytes;
        int u = 0;
        while (value >= 1024 && u < units.Length - 1) { value /= 1024; u++; }
        return u == 0 ? $"{bytes} B" : value.ToString(value % 1 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[u];
    }
}
