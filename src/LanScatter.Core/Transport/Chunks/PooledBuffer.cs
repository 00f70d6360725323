using System.Buffers;

namespace LanScatter.Core.Transport.Chunks;

/// <summary>A buffer of at least the size asked, from the shared pool and back to it when disposed: a download's piece buffer is large and short-lived.</summary>
internal sealed class PooledBuffer : IDisposable
{
    public PooledBuffer(int bytes) => Array = ArrayPool<byte>.Shared.Rent(bytes);

    public byte[] Array { get; private set; }

    public void Dispose()
    {
        if (Array.Length == 0) return;
        ArrayPool<byte>.Shared.Return(Array);
        Array = System.Array.Empty<byte>();
    }
}
