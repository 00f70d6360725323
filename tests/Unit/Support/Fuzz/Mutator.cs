using System.Text;

namespace LanScatter.Tests.Support.Fuzz;

/// <summary>
/// Turns valid inputs into hostile ones, reproducibly from a seed: byte flips, insertions, cuts,
/// repeated spans, and JSON values swapped for values that break assumptions (huge, negative,
/// empty, wrong type, paths that climb out, device names, very long strings).
/// </summary>
internal sealed class Mutator
{
    private static readonly string[] Hostile =
    {
        "null", "true", "-1", "0", "1e308", "-9223372036854775808", "9223372036854775807", "18446744073709551616", "NaN", "1.5",
        "\"\"", "\"../../escape.txt\"", "\"/etc/passwd\"", "\"C:\\\\Windows\\\\x\"", "\"CON\"", "\"a/../../b\"", "\".lanscatter/peer.json\"",
        "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[[[[[[[[[[[[]]]]]]]]]]]]", "\"" + new string('x', 5000) + "\"",
        "\"http://192.0.2.1:1/chunks/x\"", "\"file:///etc/passwd\"", "\"welcome\"", "\"hello\"", "\"auth\"",
    };

    private const string Inserted = "{}[]\",:\\0x-";

    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    public Random Random => _random;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>One to four mutations of <paramref name="seed"/>; now and then pure noise instead.</summary>
    public byte[] Mutate(string seed)
    {
        if (_random.Next(50) == 0) return Noise();
        var text = seed;
        int rounds = 1 + _random.Next(4);
        for (int i = 0; i < rounds; i++) text = _random.Next(3) == 0 ? Bytes(text) : Json(text);
        return Encoding.UTF8.GetBytes(text);
    }

    private byte[] Noise()
    {
        var bytes = new byte[_random.Next(1, 300)];
        _random.NextBytes(bytes);
        return bytes;
    }

    // Swaps a JSON value (after a ':' or inside an array) for a hostile one, or renames a key.
    private string Json(string text)
    {
        var colons = new List<int>();
        for (int i = 0; i < text.Length; i++) if (text[i] == ':' || text[i] == '[') colons.Add(i);
        if (colons.Count == 0) return text;
        int at = colons[_random.Next(colons.Count)] + 1;
        int end = ValueEnd(text, at);
        if (_random.Next(6) == 0)
        {
            // Rename the key before the colon: unknown or missing fields.
            int keyEnd = text.LastIndexOf('"', Math.Max(0, at - 2));
            int keyStart = keyEnd > 0 ? text.LastIndexOf('"', keyEnd - 1) : -1;
            if (keyStart >= 0) return text.Substring(0, keyStart + 1) + "z" + text.Substring(keyStart + 1);
        }
        return text.Substring(0, at) + Pick(Hostile) + text.Substring(end);
    }

    private static int ValueEnd(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') { inString = false; if (depth == 0) return i + 1; }
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '[' or '{': depth++; break;
                case ']' or '}':
                    if (depth == 0) return i;
                    depth--;
                    if (depth == 0) return i + 1;
                    break;
                case ',' when depth == 0: return i;
            }
        }
        return text.Length;
    }

    private string Bytes(string text)
    {
        if (text.Length == 0) return "x";
        var chars = text.ToCharArray().ToList();
        int at = _random.Next(chars.Count);
        switch (_random.Next(5))
        {
            case 0: chars[at] = (char)_random.Next(1, 128); break;
            case 1: chars.Insert(at, Inserted[_random.Next(Inserted.Length)]); break;
            case 2: chars.RemoveRange(at, Math.Min(chars.Count - at, 1 + _random.Next(16))); break;
            case 3:
                int len = Math.Min(chars.Count - at, 1 + _random.Next(64));
                chars.InsertRange(at, chars.GetRange(at, len));
                break;
            default: return text.Substring(0, at); // cut short
        }
        return new string(chars.ToArray());
    }
}
