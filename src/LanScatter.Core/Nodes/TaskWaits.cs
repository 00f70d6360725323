namespace LanScatter.Core.Nodes;

/// <summary>Task.WaitAsync for netstandard2.0: stop waiting when the token fires, leaving the task running.</summary>
internal static class TaskWaits
{
    public static async Task WaitAsync(Task task, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
        {
            await (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }
}
