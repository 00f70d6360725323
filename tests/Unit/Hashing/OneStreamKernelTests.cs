using LanScatter.Core.Hashing;

namespace LanScatter.Tests.Hashing;

/// <summary>
/// The one-stream kernel is chosen by timing the vector rows against the scalar code (neither wins
/// on every CPU); the choice must not be swayed by compiling or by one preempted run.
/// </summary>
public class OneStreamKernelTests
{
    [Fact]
    public void A_first_run_slowed_by_compiling_does_not_decide()
    {
        int calls = 0;
        // The first kernel is slow only on its first call (being compiled), faster afterwards.
        bool chosen = OneStreamKernel.FasterIsFirst(() => calls++ == 0 ? 1_000_000 : 10, () => 20);
        Assert.True(chosen);
    }

    [Fact]
    public void The_best_of_several_runs_decides_so_one_preempted_run_does_not()
    {
        var firstTimes = new Queue<long>(new long[] { 10, 10, 500, 10, 10 });
        var secondTimes = new Queue<long>(new long[] { 30, 30, 30, 30, 30 });
        Assert.True(OneStreamKernel.FasterIsFirst(firstTimes.Dequeue, secondTimes.Dequeue));
        var slowFirst = new Queue<long>(new long[] { 40, 40, 40, 40, 40 });
        var fastSecond = new Queue<long>(new long[] { 5, 5, 900, 5, 5 });
        Assert.False(OneStreamKernel.FasterIsFirst(slowFirst.Dequeue, fastSecond.Dequeue));
    }
}
