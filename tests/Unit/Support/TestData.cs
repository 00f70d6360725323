namespace LanScatter.Tests.Support;

internal static class TestData
{
    /// <summary>Deterministic pseudo-random bytes, so a failing case can be reproduced.</summary>
    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
