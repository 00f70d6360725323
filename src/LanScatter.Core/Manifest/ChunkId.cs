using LanScatter.Core.Hashing;

namespace LanScatter.Core.Manifest;

/// <summary>Chunk ids: BLAKE2b-256 of the chunk's bytes as 64 lowercase hex digits (what <c>b2sum -l 256</c> prints).</summary>
internal static class ChunkId
{
    public const int DigestBytes = 32;
    public const int HexLength = DigestBytes * 2;

    public static string Of(ReadOnlySpan<byte> bytes) => ToHex(Blake2b.Hash(bytes, DigestBytes));

    public static string FromHasher(Blake2b hasher)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        hasher.Finish(digest);
        return ToHex(digest);
    }

    public static string FromHash(StreamHash hash)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        hash.Finish(digest);
        return ToHex(digest);
    }

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != HexLength) return false;
        foreach (char c in id)
        {
            if (!(c is >= '0' and <= '9' || c is >= 'a' and <= 'f')) return false;
        }
        return true;
    }

    private static string ToHex(ReadOnlySpan<byte> digest)
    {
        const string digits = "0123456789abcdef";
        var chars = new char[digest.Length * 2];
        for (int i = 0; i < digest.Length; i++)
        {
            chars[2 * i] = digits[digest[i] >> 4];
            chars[2 * i + 1] = digits[digest[i] & 15];
        }
        return new string(chars);
    }
}
