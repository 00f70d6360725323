namespace LanScatter.Tests.Support;

internal static class Timeouts
{
    /// <summary>Every await on the network gets a limit, so a hang fails the test instead of stalling CI.</summary>
    public static async Task<T> Within<T>(this Task<T> task, int seconds = 60)
    {
        var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        if (done != task) throw new TimeoutException($"did not finish within {seconds} s");
        return await task;
    }

    public static async Task Within(this Task task, int seconds = 60)
    {
        var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        if (done != task) throw new TimeoutException($"did not finish within {seconds} s");
        await task;
    }

    /// <summary>Polls until the condition holds or the time is up.</summary>
    public static async Task Until(Func<bool> condition, int seconds = 60, string what = "condition")
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"{what} not reached within {seconds} s");
            await Task.Delay(50);
        }
    }
}
