// One request handed to the engine: a tokenized prompt, n choices and their sampling. The engine writes each choice's
// events into the job's channel; the HTTP handler reads them. A cancelled token (the client went away) frees the
// job's rows at the engine's next step.
using System.Threading.Channels;

namespace Reasoner.Serving.Engine;

public sealed class GenerationJob
{
    private readonly Channel<ChoiceEvent> _events = Channel.CreateUnbounded<ChoiceEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly bool[] _closed;
    private int _open;

    public GenerationJob(IReadOnlyList<int> prompt, int n, SamplingParams sampling, CancellationToken cancellation = default)
    {
        if (prompt.Count == 0 || n < 1)
        {
            throw new ArgumentException("a generation job needs a non-empty prompt and n >= 1");
        }

        (Prompt, N, Sampling, Cancellation, _open, _closed) = (prompt, n, sampling, cancellation, n, new bool[n]);
    }

    public IReadOnlyList<int> Prompt { get; }

    public int N { get; }

    public SamplingParams Sampling { get; }

    public CancellationToken Cancellation { get; }

    public ChannelReader<ChoiceEvent> Events => _events.Reader;

    internal bool Cancelled => Cancellation.IsCancellationRequested;

    /// <summary>Every choice has ended (finished or failed).</summary>
    public bool Closed => Volatile.Read(ref _open) == 0;

    /// <summary>Writes an event; a choice's first terminal event closes it, and anything after that is dropped.</summary>
    internal void Send(ChoiceEvent e)
    {
        lock (_closed)
        {
            if (_closed[e.Index])
            {
                return;
            }

            _events.Writer.TryWrite(e);
            if (e is ChoiceFinished or ChoiceFailed)
            {
                _closed[e.Index] = true;
                if (--_open == 0)
                {
                    _events.Writer.TryComplete();
                }
            }
        }
    }

    /// <summary>Ends every open choice with a failure (engine error, or shutdown before the job started).</summary>
    internal void FailAll(int status, string message)
    {
        for (int i = 0; i < N; i++)
        {
            Send(new ChoiceFailed(i, status, message));
        }
    }
}
