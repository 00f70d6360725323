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

    /// <summary>The 32 bytes an id spells (the compact manifest sends ids as bytes); false when it is not an id.</summary>
    public static bool TryDecode(string id, Span<byte> digest)
    {
        if (!IsValid(id) || digest.Length != DigestBytes) return false;
        for (int i = 0; i < DigestBytes; i++) digest[i] = (byte)((Nibble(id[2 * i]) << 4) | Nibble(id[2 * i + 1]));
        return true;
    }

    private static int Nibble(char c) => c <= '9' ? c - '0' : c - 'a' + 10;

    /// <summary>The id of a 32-byte digest.</summary>
    public static string ToHex(ReadOnlySpan<byte> digest)
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
