// A teacher loaded in this process: a run, checkpoint, LoRA run or Hugging Face folder, decoded by the serving
// engine, so concurrent problems and their n samples share one continuously batched KV cache.
using Reasoner.Model.Tokenization;
using Reasoner.Serving;
using Reasoner.Serving.Engine;

namespace Reasoner.Distillation.Teachers;

public sealed class CheckpointTeacher : ITeacher
{
    private readonly ServedModel _model;

    private CheckpointTeacher(ServedModel model) => _model = model;

    public string Describe => _model.Path;

    public long Retries => 0;

    /// <summary>Loads the checkpoint; <paramref name="threads"/> libtorch threads decode for the whole process.</summary>
    public static CheckpointTeacher Load(string path, ChatFormat? chat, int maxBatch, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Reasoner.Model.Runtime.TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(threads);
        var models = ModelLoader.Load([path], chat, new EngineLimits { MaxBatch = maxBatch, MaxQueue = int.MaxValue });
        return new CheckpointTeacher(models[0]);
    }

    public async Task<TeacherReply> SampleAsync(TeacherRequest request, CancellationToken cancellation)
    {
        var tokenizer = _model.Tokenizer;
        var prompt = tokenizer.Chat.Prompt(tokenizer, request.Prompt, request.System);
        int room = _model.Engine.ContextLength - prompt.Count;
        if (room < 1)
        {
            return TeacherReply.Failed(Reasons.PromptTooLong, $"the prompt's {prompt.Count} tokens fill the teacher's context of {_model.Engine.ContextLength}");
        }

        var samples = new TeacherSample?[request.N];
        for (int start = 0; start < request.N; start += _model.Engine.MaxBatch)
        {
            int n = System.Math.Min(_model.Engine.MaxBatch, request.N - start);
            var sampling = new SamplingParams { Temperature = request.Temperature, TopP = request.TopP, Seed = request.Seed + start, MaxTokens = System.Math.Min(request.MaxTokens, room) };
            var job = new GenerationJob(prompt, n, sampling, cancellation);
            _model.Engine.Submit(job);
            await foreach (var e in job.Events.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                switch (e)
                {
                    case ChoiceFinished done:
                        samples[start + done.Index] = new TeacherSample(done.Text, done.Reason);
                        break;
                    case ChoiceFailed failed:
                        return TeacherReply.Failed(Reasons.RequestFailed, failed.Message);
                }
            }
        }

        return new TeacherReply([.. samples.Select(s => s!)]);
    }

    public ValueTask DisposeAsync()
    {
        _model.Dispose();
        return ValueTask.CompletedTask;
    }
}
