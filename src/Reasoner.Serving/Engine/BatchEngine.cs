// The server's side of the one decoding engine (Reasoner.Model's DecodeBatch), on one thread per model: requests
// queue, the ones waiting join the running batch between steps (a request's n choices share its prompt's prefill),
// each choice's text streams out as its tokens settle, and a finished or cancelled choice leaves at once. The queue,
// its limits, cancellation and the drain at shutdown live here; the batching itself is DecodeBatch's.
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Serving.Engine;

public sealed record EngineLimits
{
    /// <summary>Rows (choices) decoded together; a request waits until all its n choices fit.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>Requests waiting to start; one more is refused (HTTP 429).</summary>
    public int MaxQueue { get; init; } = 256;
}

public sealed class QueueFullException(string message) : Exception(message);

public sealed class EngineStoppingException(string message) : Exception(message);

public sealed class BatchEngine : IDisposable
{
    private const int Cancelled = 499;  // a cancelled job's choices end with this status (nginx's "client closed request")

    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly EngineLimits _limits;
    private readonly HashSet<int> _stopIds;
    private readonly Queue<GenerationJob> _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly DecodeBatch _batch;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTime? _drainDeadline;
    private bool _disposed;
    private long _generated;
    private long _completed;
    private int _peakRows;
    private int _activeRows;

    public BatchEngine(string name, CausalLM model, ITokenizer tokenizer, EngineLimits limits)
    {
        (_model, _tokenizer, _limits) = (model, tokenizer, limits);
        _stopIds = [.. tokenizer.Chat.StopIds(tokenizer)];
        _batch = new DecodeBatch(model, tokenizer.PadId, tokenizer.VocabSize);
        _thread = new Thread(Loop) { IsBackground = true, Name = $"reasoner-engine-{name}" };
        _thread.Start();
    }

    /// <summary>Longest prompt plus completion, in tokens.</summary>
    public int ContextLength => _model.Config.MaxPositionEmbeddings;

    /// <summary>Rows decoded together; a job's n may not exceed it.</summary>
    public int MaxBatch => _limits.MaxBatch;

    public int ActiveRows => Volatile.Read(ref _activeRows);

    public int Queued
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Tokens generated since start (all rows).</summary>
    public long GeneratedTokens => Interlocked.Read(ref _generated);

    /// <summary>The most rows decoded together since start.</summary>
    public int PeakRows => Volatile.Read(ref _peakRows);

    /// <summary>Requests whose every choice finished (not failed or cancelled) since start.</summary>
    public long CompletedRequests => Interlocked.Read(ref _completed);

    /// <summary>Completes when the engine has stopped (after a drain, or on dispose).</summary>
    public Task Stopped => _stopped.Task;

    public bool Draining => _drainDeadline is not null;

    /// <summary>Queues a request; throws <see cref="QueueFullException"/> or <see cref="EngineStoppingException"/>.</summary>
    public void Submit(GenerationJob job)
    {
        if (job.N > _limits.MaxBatch)
        {
            throw new ArgumentException($"n = {job.N} is more than the server's batch of {_limits.MaxBatch} rows");
        }

        lock (_pending)
        {
            if (_drainDeadline is not null || _disposed)
            {
                throw new EngineStoppingException("the server is shutting down");
            }

            if (_pending.Count >= _limits.MaxQueue)
            {
                throw new QueueFullException($"{_pending.Count} requests are already waiting (--max-queue {_limits.MaxQueue})");
            }

            _pending.Enqueue(job);
        }

        _wake.Release();
    }

    /// <summary>Refuses new requests; running and queued ones finish, and those still running at the deadline end with "length".</summary>
    public void BeginDrain(TimeSpan grace)
    {
        lock (_pending)
        {
            _drainDeadline ??= DateTime.UtcNow + grace;
        }

        _wake.Release();
    }

    public void Dispose()
    {
        lock (_pending)
        {
            _disposed = true;
        }

        _wake.Release();
        _thread.Join();
        _wake.Dispose();
        _batch.Dispose();
    }

    private void Loop()
    {
        try
        {
            using var noGrad = no_grad();
            _model.eval();
            while (true)
            {
                bool idle;
                lock (_pending)
                {
                    if (_disposed || (_drainDeadline is not null && _pending.Count == 0 && _batch.Rows.Count == 0))
                    {
                        break;
                    }

                    idle = _pending.Count == 0 && _batch.Rows.Count == 0;
                }

                if (idle)
                {
                    _wake.Wait(TimeSpan.FromMilliseconds(200));
                    continue;
                }

                try
                {
                    Admit();
                    if (_batch.Rows.Count > 0)
                    {
                        Step();
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    FailRunning(500, $"generation failed: {e.Message}");
                }
            }
        }
        finally
        {
            FailRunning(503, "the server stopped before this request finished");
            lock (_pending)
            {
                while (_pending.TryDequeue(out var job))
                {
                    job.FailAll(503, "the server stopped before this request started");
                }
            }

            _stopped.TrySetResult();
        }
    }

    /// <summary>Starts the queued requests whose choices fit in the batch, prefilling all of them in one forward pass.</summary>
    private void Admit()
    {
        var jobs = new List<GenerationJob>();
        lock (_pending)
        {
            int rows = _batch.Rows.Count;
            while (_pending.TryPeek(out var job) && (rows + job.N <= _limits.MaxBatch || (rows == 0 && jobs.Count == 0)))
            {
                _pending.Dequeue();
                if (job.Cancelled)
                {
                    job.FailAll(Cancelled, "the request was cancelled");
                }
                else
                {
                    jobs.Add(job);
                    rows += job.N;
                }
            }
        }

        if (jobs.Count > 0)
        {
            Prefill(jobs);
        }
    }

    /// <summary>Joins the new requests' choices to the batch (one prefill pass; a request's n choices share its prompt's keys) and sends their first tokens.</summary>
    private void Prefill(List<GenerationJob> jobs)
    {
        var rows = jobs.SelectMany(job => Enumerable.Range(0, job.N).Select(i => new Row(job, i, _tokenizer))).ToList();
        _batch.Join(rows, Advance);
        Interlocked.Exchange(ref _peakRows, System.Math.Max(_peakRows, _batch.Rows.Count));
        Compact();
    }

    /// <summary>One token for every row.</summary>
    private void Step()
    {
        if (_drainDeadline is { } deadline && DateTime.UtcNow > deadline)
        {
            foreach (var row in _batch.Rows.Cast<Row>().Where(r => !r.Done))
            {
                Finish(row, "length");
            }

            Compact();
            return;
        }

        Compact(); // cancelled rows leave before they cost a step
        _batch.Step(Advance);
        Compact();
    }

    /// <summary>Sends the token's text (or ends the choice); the token is what the row feeds next.</summary>
    private void Advance(DecodeRow decoded, int id, Tensor logits, int index)
    {
        var row = (Row)decoded;
        if (row.Done)
        {
            return;
        }

        if (row.Job.Cancelled)
        {
            row.Job.Send(new ChoiceFailed(row.Index, Cancelled, "the request was cancelled"));
            row.Done = true;
            return;
        }

        Interlocked.Increment(ref _generated);
        if (_stopIds.Contains(id))
        {
            Finish(row, "stop");
            return;
        }

        var logprob = row.Job.Sampling.TopLogprobs is { } top ? row.Logprob(logits[index], id, top) : null;
        var (released, stopped) = row.Text.Add(id);
        row.Job.Send(new ChoiceDelta(row.Index, released, logprob));
        if (stopped)
        {
            Finish(row, "stop");
        }
        else if (row.Text.Tokens >= row.Job.Sampling.MaxTokens || row.Position >= ContextLength)
        {
            Finish(row, "length");
        }
    }

    private void Finish(Row row, string reason)
    {
        var rest = row.Text.Flush();
        if (rest.Length > 0)
        {
            row.Job.Send(new ChoiceDelta(row.Index, rest, null));
        }

        row.Job.Send(new ChoiceFinished(row.Index, reason, row.Text.Text, row.Text.Tokens));
        row.Done = true;
        if (row.Job.Closed)
        {
            Interlocked.Increment(ref _completed);
        }
    }

    /// <summary>Drops finished and cancelled rows from the batch (DecodeBatch also drops the padding no row needs).</summary>
    private void Compact()
    {
        foreach (var row in _batch.Rows.Cast<Row>().Where(r => !r.Done && r.Job.Cancelled))
        {
            row.Job.Send(new ChoiceFailed(row.Index, Cancelled, "the request was cancelled"));
            row.Done = true;
        }

        _batch.Compact();
        Volatile.Write(ref _activeRows, _batch.Rows.Count);
    }

    private void FailRunning(int status, string message)
    {
        foreach (var job in _batch.Rows.Cast<Row>().Select(r => r.Job).Distinct().ToList())
        {
            job.FailAll(status, message);
        }

        _batch.Clear();
        Volatile.Write(ref _activeRows, 0);
    }

    /// <summary>One choice of one request: its seeded sampler, its text, and the position of the token it feeds next.</summary>
    private sealed class Row(GenerationJob job, int index, ITokenizer tokenizer)
        : DecodeRow(job.Prompt, job.Sampling.Temperature, job.Sampling.TopK, job.Sampling.TopP, new Random(unchecked((int)(job.Sampling.Seed ^ (job.Sampling.Seed >> 32)) + index)))
    {
        public GenerationJob Job { get; } = job;

        public int Index { get; } = index;

        public ChoiceText Text { get; } = new(tokenizer, job.Sampling.Stop);

        /// <summary>The chosen token's log-probability under the model (temperature 1) and the <paramref name="top"/> most likely tokens.</summary>
        public TokenLogprob Logprob(Tensor logits, int id, int top)
        {
            using var scope = NewDisposeScope();
            var logprobs = logits.to_type(ScalarType.Float64).log_softmax(0);
            var alternatives = new List<TopLogprob>();
            if (top > 0)
            {
                var (values, indices) = logprobs.topk(top);
                var v = values.data<double>().ToArray();
                var ix = indices.data<long>().ToArray();
                for (int i = 0; i < v.Length; i++)
                {
                    alternatives.Add(new TopLogprob((int)ix[i], tokenizer.Decode([(int)ix[i]]), v[i]));
                }
            }

            return new TokenLogprob(id, tokenizer.Decode([id]), logprobs[id].item<double>(), alternatives);
        }
    }
}
