namespace LanScatter.Tests.Support;

/// <summary>
/// A test for runs that switch CPU features off (`.ci/run` sets LANSCATTER_EXPECT_LANE_WIDTH beside
/// the runtime's switch): skipped, and said so, in a run that sets no expectation.
/// </summary>
internal sealed class ExpectedLaneWidthFactAttribute : FactAttribute
{
    public const string Variable = "LANSCATTER_EXPECT_LANE_WIDTH";

    public ExpectedLaneWidthFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) Skip = Variable + " is not set: this run switches no CPU feature off";
    }
}
