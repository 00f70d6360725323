using System.Runtime.InteropServices;

namespace LanScatter.Benchmarks;

/// <summary>OpenSSL's BLAKE2b-512 through libcrypto's EVP API: the reference our hashing must beat, measured in the same process.</summary>
internal static unsafe class OpenSslBlake2b
{
    private const string Lib = "libcrypto.so.3";

    [DllImport(Lib)] private static extern IntPtr EVP_get_digestbyname(string name);
    [DllImport(Lib)] private static extern int EVP_Digest(byte* data, nuint count, byte* md, uint* size, IntPtr type, IntPtr engine);

    private static readonly IntPtr Blake2b512 = EVP_get_digestbyname("BLAKE2B512");

    public static bool Available => Blake2b512 != IntPtr.Zero;

    public static byte[] Hash(byte[] data)
    {
        var md = new byte[64];
        uint size = 0;
        fixed (byte* p = data)
        fixed (byte* m = md)
        {
            if (EVP_Digest(p, (nuint)data.Length, m, &size, Blake2b512, IntPtr.Zero) != 1) throw new InvalidOperationException("EVP_Digest failed");
        }
        return md;
    }
}
