namespace LanScatter.Tests.Support.Fuzz;

/// <summary>What one kind of hostile input did: tried, answered with a refusal, and anything that must never happen.</summary>
internal sealed class FuzzCounts
{
    private long _tried, _rejected, _accepted, _crashed;

    public FuzzCounts(string name) => Name = name;

    public string Name { get; }
    public long Tried => Interlocked.Read(ref _tried);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Crashed => Interlocked.Read(ref _crashed);
    public List<string> Failures { get; } = new();

    public void Try() => Interlocked.Increment(ref _tried);
    public void Reject() => Interlocked.Increment(ref _rejected);
    public void Accept() => Interlocked.Increment(ref _accepted);

    public void Crash(string what)
    {
        Interlocked.Increment(ref _crashed);
        lock (Failures) if (Failures.Count < 20) Failures.Add(what);
    }

    public override string ToString() => $"{Name,-28} tried {Tried,7}  rejected {Rejected,7}  accepted {Accepted,7}  crashed {Crashed}";
}
