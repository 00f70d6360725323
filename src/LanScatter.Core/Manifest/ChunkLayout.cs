namespace LanScatter.Core.Manifest;

/// <summary>Where a file's chunks lie: fixed-size pieces from offset 0, the last one shorter.</summary>
internal static class ChunkLayout
{
    public static int Count(long fileSize, long chunkSize) => (int)((fileSize + chunkSize - 1) / chunkSize);

    public static IEnumerable<(long Offset, int Length)> Ranges(long fileSize, long chunkSize)
    {
        for (long offset = 0; offset < fileSize; offset += chunkSize)
            yield return (offset, (int)Math.Min(chunkSize, fileSize - offset));
    }
}
