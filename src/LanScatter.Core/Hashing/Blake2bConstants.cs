namespace LanScatter.Core.Hashing;

/// <summary>Constants from RFC 7693 §2.6 and §2.7.</summary>
internal static class Blake2bConstants
{
    public const int BlockBytes = 128;
    public const int MaxDigestBytes = 64;
    public const int MaxKeyBytes = 64;
    public const int Rounds = 12;

    public const ulong IV0 = 0x6A09E667F3BCC908UL;
    public const ulong IV1 = 0xBB67AE8584CAA73BUL;
    public const ulong IV2 = 0x3C6EF372FE94F82BUL;
    public const ulong IV3 = 0xA54FF53A5F1D36F1UL;
    public const ulong IV4 = 0x510E527FADE682D1UL;
    public const ulong IV5 = 0x9B05688C2B3E6C1FUL;
    public const ulong IV6 = 0x1F83D9ABFB41BD6BUL;
    public const ulong IV7 = 0x5BE0CD19137E2179UL;

    /// <summary>
    /// Message schedule (RFC 7693 §2.7), 16 indices per round for all 12 rounds; rounds 10 and 11
    /// repeat rounds 0 and 1 so a round loop needs no modulo.
    /// </summary>
    public static ReadOnlySpan<byte> Sigma => new byte[]
    {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
    };
}
