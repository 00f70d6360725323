namespace LanScatter.Tests.Support;

/// <summary>Tests that measure process-wide counters (allocations, CPU) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
