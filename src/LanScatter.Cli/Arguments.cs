namespace LanScatter.Cli;

/// <summary>A wrong command line; printed as one line with a hint to --help, exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}

/// <summary>
/// Parsed command line: positional arguments plus <c>--name value</c> options and <c>--flag</c>
/// switches. Each command states which names it accepts, so typos are errors, not silently ignored.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    private Arguments(List<string> positional) => Positional = positional;

    public IReadOnlyList<string> Positional { get; }

    public static Arguments Parse(IEnumerable<string> args, ISet<string> valueOptions, ISet<string> flags)
    {
        var positional = new List<string>();
        var result = new Arguments(positional);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg == "--")
            {
                while (e.MoveNext()) positional.Add(e.Current);
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }
            var name = arg.Substring(2);
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) { inline = name.Substring(eq + 1); name = name.Substring(0, eq); }
            if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"--{name} takes no value");
                result._options[name] = null;
            }
            else if (valueOptions.Contains(name))
            {
                if (inline is null)
                {
                    if (!e.MoveNext()) throw new UsageException($"--{name} needs a value");
                    inline = e.Current;
                }
                result._options[name] = inline;
                if (!result._repeated.TryGetValue(name, out var all)) result._repeated[name] = all = new List<string>();
                all.Add(inline);
            }
            else
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
        return result;
    }

    /// <summary>HOST[:PORT]; a malformed address is a command-line error.</summary>
    public static (string Host, int Port) Address(string text, int defaultPort)
    {
        try
        {
            return LanScatter.Core.Nodes.HostAddress.Parse(text, defaultPort);
        }
        catch (LanScatter.Core.Diagnostics.LanScatterException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>Every value of an option given several times (<c>--exclude A --exclude B</c>), in order.</summary>
    public IReadOnlyList<string> Values(string name) => _repeated.TryGetValue(name, out var all) ? all : Array.Empty<string>();

    public int Int(string name, int fallback, int min, int max)
    {
        var text = Value(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, out var v) || v < min || v > max) throw new UsageException($"--{name} must be a whole number from {min} to {max}");
        return v;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        var text = Value(name);
        if (text is null) return fallback;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new UsageException($"--{name} must be a number from {min} to {max}");
        return v;
    }
}
