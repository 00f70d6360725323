using System.Threading.Channels;

namespace LanScatter.Core.Nodes;

/// <summary>
/// The one thread of control that owns a node's mutable state: other threads post work here
/// instead of taking locks. A failing work item is reported and the loop goes on.
/// </summary>
internal sealed class NodeLoop
{
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<Exception> _onError;

    public NodeLoop(Action<Exception> onError) => _onError = onError;

    public void Post(Action action) => _work.Writer.TryWrite(() => { action(); return Task.CompletedTask; });

    public void Post(Func<Task> action) => _work.Writer.TryWrite(action);

    public void Complete() => _work.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _work.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_work.Reader.TryRead(out var item))
                {
                    try
                    {
                        await item().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        _onError(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
