// Continuous batching for one model, on one thread: every running choice is a row of one KV-cache batch, and each
// step decodes one token for all of them. New requests join at the next step: the prompts waiting then are prefilled
// together (left-padded, one forward pass), and their cache joins the batch, right-aligned, with the padding masked;
// a finished or cancelled row leaves at once. Rows keep their own positions, so a row's tokens do not depend on what
// else is in the batch. Departures from vLLM: no paged attention or prefix cache, and a prompt is prefilled whole
// before it joins (no chunked prefill).
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
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
    private const int TrimColumns = 16; // leading padding columns dropped from the cache once this many are free
    private const int Cancelled = 499;  // a cancelled job's choices end with this status (nginx's "client closed request")

    private readonly CausalLM _model;
    private readonly ITokenizer _tokenizer;
    private readonly EngineLimits _limits;
    private readonly HashSet<int> _stopIds;
    private readonly Queue<GenerationJob> _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Row> _rows = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private KvCache? _cache;
    private Tensor? _mask; // (B, columns) 1 for a real key, 0 for left padding
    private DateTime? _drainDeadline;
    private bool _disposed;
    private long _generated;
    private long _completed;
    private int _peakRows;

    public BatchEngine(string name, CausalLM model, ITokenizer tokenizer, EngineLimits limits)
    {
        (_model, _tokenizer, _limits) = (model, tokenizer, limits);
        _stopIds = [.. tokenizer.Chat.StopIds(tokenizer)];
        _thread = new Thread(Loop) { IsBackground = true, Name = $"reasoner-engine-{name}" };
        _thread.Start();
    }

    /// <summary>Longest prompt plus completion, in tokens.</summary>
    public int ContextLength => _model.Config.MaxPositionEmbeddings;

    /// <summary>Rows decoded together; a job's n may not exceed it.</summary>
    public int MaxBatch => _limits.MaxBatch;

    public int ActiveRows
    {
        get
        {
            lock (_pending)
            {
                return _rows.Count;
            }
        }
    }

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
                    if (_disposed || (_drainDeadline is not null && _pending.Count == 0 && _rows.Count == 0))
                    {
                        break;
                    }

                    idle = _pending.Count == 0 && _rows.Count == 0;
                }

                if (idle)
                {
                    _wake.Wait(TimeSpan.FromMilliseconds(200));
                    continue;
                }

                try
                {
                    Admit();
                    if (_rows.Count > 0)
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
            int rows = _rows.Count;
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

    /// <summary>
    /// Runs the new prompts together (left-padded, masked, each at its own positions), draws each choice's first
    /// token, and joins the rows to the batch; a request's n choices share its prompt's keys.
    /// </summary>
    private void Prefill(List<GenerationJob> jobs)
    {
        using var scope = NewDisposeScope();
        var cache = new KvCache(_model.Config.NumHiddenLayers);
        try
        {
            int width = jobs.Max(j => j.Prompt.Count);
            var ids = new long[jobs.Count, width];
            var real = new long[jobs.Count, width];
            for (int j = 0; j < jobs.Count; j++)
            {
                int offset = width - jobs[j].Prompt.Count;
                for (int c = 0; c < width; c++)
                {
                    ids[j, c] = c < offset ? _tokenizer.PadId : jobs[j].Prompt[c - offset];
                    real[j, c] = c < offset ? 0 : 1;
                }
            }

            var mask = tensor(real);
            bool padded = jobs.Any(j => j.Prompt.Count != width);
            var positions = padded ? (mask.cumsum(1, ScalarType.Int64) - HeldScalars.One).clamp_min(HeldScalars.Zero) : null;
            var last = _model.Forward(tensor(ids), positions, padded ? mask : null, cache).select(1, width - 1).narrow(-1, 0, _tokenizer.VocabSize); // (J, V)
            var owner = jobs.SelectMany((job, j) => Enumerable.Repeat((long)j, job.N)).ToArray(); // the prompt row of each choice
            var rowsIndex = tensor(owner);
            if (owner.Length != jobs.Count)
            {
                cache.Select(rowsIndex); // n copies of a prompt's keys
            }

            var rows = jobs.SelectMany(job => Enumerable.Range(0, job.N).Select(i => new Row(job, i, _tokenizer, job.Prompt.Count))).ToList();
            var choices = Choose(owner.Length != jobs.Count ? last.index_select(0, rowsIndex) : last, rows);
            var promptMask = owner.Length != jobs.Count ? mask.index_select(0, rowsIndex) : mask;
            if (_cache is null)
            {
                (_cache, cache) = (cache, null);
                Swap(ref _mask, promptMask);
            }
            else
            {
                long columns = System.Math.Max(_mask!.shape[1], promptMask.shape[1]);
                var joined = cat([Padded(_mask, columns), Padded(promptMask, columns)], 0);
                _cache.Absorb(cache);
                Swap(ref _mask, joined);
            }

            lock (_pending)
            {
                _rows.AddRange(rows);
                _peakRows = System.Math.Max(_peakRows, _rows.Count);
            }

            for (int i = 0; i < rows.Count; i++)
            {
                Advance(rows[i], choices[i]);
            }
        }
        finally
        {
            cache?.Dispose();
        }

        Compact();
    }

    /// <summary>One token for every row.</summary>
    private void Step()
    {
        if (_drainDeadline is { } deadline && DateTime.UtcNow > deadline)
        {
            foreach (var row in _rows.Where(r => !r.Done))
            {
                Finish(row, "length");
            }

            Compact();
            return;
        }

        Compact(); // cancelled rows leave before they cost a step
        if (_rows.Count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var input = tensor(_rows.Select(r => (long)r.Pending).ToArray()).unsqueeze(1);   // (B, 1)
        var positions = tensor(_rows.Select(r => r.Position).ToArray()).unsqueeze(1);    // (B, 1)
        var mask = cat([_mask!, ones(_rows.Count, 1, dtype: ScalarType.Int64)], 1);     // (B, columns + 1)
        var logits = _model.Forward(input, positions, mask, _cache).select(1, 0).narrow(-1, 0, _tokenizer.VocabSize); // (B, V)
        Swap(ref _mask, mask);
        var choices = Choose(logits, _rows);
        for (int b = 0; b < _rows.Count; b++)
        {
            _rows[b].Position++;
            Advance(_rows[b], choices[b]);
        }

        Compact();
    }

    /// <summary>Each row's next token from its logits (B, V): greedy rows by one argmax, sampled rows with their own seeded draw.</summary>
    private static (int Id, TokenLogprob? Logprob)[] Choose(Tensor logits, IReadOnlyList<Row> rows)
    {
        var greedy = logits.argmax(1).data<long>().ToArray();
        var result = new (int, TokenLogprob?)[rows.Count];
        for (int b = 0; b < rows.Count; b++)
        {
            var sampling = rows[b].Job.Sampling;
            int id = (int)greedy[b];
            if (sampling.Temperature > 0)
            {
                using var temperature = sampling.Temperature.ToScalar();
                var probabilities = (logits[b] / temperature).to_type(ScalarType.Float64).softmax(0).data<double>().ToArray();
                id = TextGenerator.Sample(probabilities, sampling.TopK, sampling.TopP, rows[b].Random);
            }

            result[b] = (id, sampling.TopLogprobs is { } top ? rows[b].Logprob(logits[b], id, top) : null);
        }

        return result;
    }

    /// <summary>Sends the token's text (or ends the choice) and sets what the row feeds next.</summary>
    private void Advance(Row row, (int Id, TokenLogprob? Logprob) choice)
    {
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
        if (_stopIds.Contains(choice.Id))
        {
            Finish(row, "stop");
            return;
        }

        var (released, stopped) = row.Text.Add(choice.Id);
        row.Job.Send(new ChoiceDelta(row.Index, released, choice.Logprob));
        if (stopped)
        {
            Finish(row, "stop");
        }
        else if (row.Text.Tokens >= row.Job.Sampling.MaxTokens || row.Position >= ContextLength)
        {
            Finish(row, "length");
        }
        else
        {
            row.Pending = choice.Id;
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

    /// <summary>Drops finished and cancelled rows from the batch, and padding columns no row needs any more.</summary>
    private void Compact()
    {
        foreach (var row in _rows.Where(r => !r.Done && r.Job.Cancelled))
        {
            row.Job.Send(new ChoiceFailed(row.Index, Cancelled, "the request was cancelled"));
            row.Done = true;
        }

        var keep = Enumerable.Range(0, _rows.Count).Where(b => !_rows[b].Done).ToArray();
        if (keep.Length == _rows.Count)
        {
            return;
        }

        lock (_pending)
        {
            var kept = keep.Select(b => _rows[b]).ToList();
            _rows.Clear();
            _rows.AddRange(kept);
        }

        if (keep.Length == 0)
        {
            _cache?.Dispose();
            _mask?.Dispose();
            (_cache, _mask) = (null, null);
            return;
        }

        using var scope = NewDisposeScope();
        var rows = tensor(keep.Select(b => (long)b).ToArray());
        _cache!.Select(rows);
        var mask = _mask!.index_select(0, rows);
        long free = mask.sum(dim: 0).data<long>().TakeWhile(count => count == 0).LongCount();
        if (free >= TrimColumns)
        {
            _cache.TrimLeft(free);
            mask = mask.narrow(1, free, mask.shape[1] - free).contiguous();
        }

        Swap(ref _mask, mask);
    }

    private void FailRunning(int status, string message)
    {
        foreach (var job in _rows.Select(r => r.Job).Distinct().ToList())
        {
            job.FailAll(status, message);
        }

        lock (_pending)
        {
            _rows.Clear();
        }

        _cache?.Dispose();
        _mask?.Dispose();
        (_cache, _mask) = (null, null);
    }

    /// <summary>A (rows, c) mask padded on the left with zeros to <paramref name="columns"/>.</summary>
    private static Tensor Padded(Tensor mask, long columns) =>
        mask.shape[1] == columns ? mask : cat([zeros(mask.shape[0], columns - mask.shape[1], dtype: ScalarType.Int64), mask], 1);

    private static void Swap(ref Tensor? slot, Tensor value)
    {
        value.DetachFromDisposeScope();
        var old = slot;
        slot = value;
        if (!ReferenceEquals(old, value))
        {
            old?.Dispose();
        }
    }

    /// <summary>One choice of one request: its seeded sampler, its text, and the position of the token it feeds next.</summary>
    private sealed class Row(GenerationJob job, int index, ITokenizer tokenizer, long promptLength)
    {
        public GenerationJob Job { get; } = job;

        public int Index { get; } = index;

        public Random Random { get; } = new(unchecked((int)(job.Sampling.Seed ^ (job.Sampling.Seed >> 32)) + index));

        public ChoiceText Text { get; } = new(tokenizer, job.Sampling.Stop);

        /// <summary>The position of <see cref="Pending"/> in this row's own sequence.</summary>
        public long Position { get; set; } = promptLength;

        public int Pending { get; set; }

        public bool Done { get; set; }

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
