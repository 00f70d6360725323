using System.Security.Cryptography;
using System.Text;

namespace LanScatter.Core.Security;

/// <summary>HMAC-SHA256 as URL-safe text, and comparison that takes the same time whatever differs.</summary>
internal static class Mac
{
    public static byte[] Compute(byte[] key, string text)
    {
        using var hmac = new HMACSHA256(key);
        return hmac.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    public static string Text(byte[] key, string text) => SwarmSecret.Base64Url(Compute(key, text), 32);

    /// <summary>The same as <see cref="Text(byte[], string)"/> of <paramref name="prefix"/> followed by the text whose UTF-8 is <paramref name="utf8"/>, without joining them.</summary>
    public static string Text(byte[] key, string prefix, byte[] utf8)
    {
        using var hmac = new HMACSHA256(key);
        var head = Encoding.UTF8.GetBytes(prefix);
        hmac.TransformBlock(head, 0, head.Length, null, 0);
        hmac.TransformFinalBlock(utf8, 0, utf8.Length);
        return SwarmSecret.Base64Url(hmac.Hash!, 32);
    }

    /// <summary>Ordinal equality without an early exit (no timing hint of how much of a guess was right).</summary>
    public static bool FixedTimeEquals(string? a, string? b)
    {
        if (a is null || b is null || a.Length != b.Length) return false;
        int diff = 0;
        for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
        return diff == 0;
    }

    public static string NewNonce()
    {
        var bytes = new byte[16];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
        return SwarmSecret.Base64Url(bytes, bytes.Length);
    }
}
