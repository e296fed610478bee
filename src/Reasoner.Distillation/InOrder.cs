// Work started several at a time and finished in input order: up to `window` items run at once, and each result is
// handed to `finish` in the order the items came, so what a run writes does not depend on which reply came first.
namespace Reasoner.Distillation;

public static class InOrder
{
    public static async Task RunAsync<TItem, TResult>(IEnumerable<TItem> items, int window, Func<TItem, Task<TResult>> start, Action<TItem, TResult> finish)
    {
        var running = new Queue<(TItem Item, Task<TResult> Task)>();
        foreach (var item in items)
        {
            if (running.Count >= window)
            {
                var (done, task) = running.Dequeue();
                finish(done, await task.ConfigureAwait(false));
            }

            running.Enqueue((item, start(item)));
        }

        while (running.Count > 0)
        {
            var (done, task) = running.Dequeue();
            finish(done, await task.ConfigureAwait(false));
        }
    }
}
