namespace LanScatter.Core.Planning;

/// <summary>Buffers filled anew on every call and kept between calls, so planning and simulation do not feed the GC.</summary>
internal static class ScratchArray
{
    /// <summary>Makes room for <paramref name="length"/> items (at least doubling); what the array held is not kept.</summary>
    public static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length * 2)];
    }
}
