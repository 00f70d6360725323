namespace LanScatter.Core.Transport.Http;

/// <summary>Header fields by case-insensitive name; a repeated field's values are joined with ", " (RFC 9110 5.3).</summary>
internal sealed class HeaderFields
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The field's value, or null when the request has none.</summary>
    public string? this[string name] => _fields.TryGetValue(name, out var value) ? value : null;

    public void Add(string name, string value) =>
        _fields[name] = _fields.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;

    /// <summary>True when a comma-separated field (Connection, Upgrade) lists <paramref name="token"/>.</summary>
    public bool HasToken(string name, string token) =>
        this[name] is { } value && value.Split(',').Any(t => string.Equals(t.Trim(' ', '\t'), token, StringComparison.OrdinalIgnoreCase));
}
