// Where a GRPO step's prompts come from: a JSONL file with gold answers (shuffled per epoch), or problems
// generated on the spot at the curriculum's current level. Both are pure functions of (seed, step, level),
// so a resumed run draws the same prompts an uninterrupted one would.
using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Training.Grpo;

public sealed record GrpoPrompt(string Question, string Answer, string Difficulty);

public interface IPromptSource
{
    /// <param name="batch">0 for the step's prompts; 1, 2, ... for the further batches dynamic sampling draws (other prompts, still a function of step and batch).</param>
    IReadOnlyList<GrpoPrompt> Draw(int step, int count, int level, int batch = 0);
}

public sealed class FilePromptSource : IPromptSource
{
    private readonly List<GrpoPrompt> _prompts;
    private readonly long _seed;
    private int[]? _order;
    private int _orderEpoch = -1;

    public FilePromptSource(string path, long seed)
    {
        _prompts = DatasetReader.Read(path, exactAnswers: true).Select(r => new GrpoPrompt(r.Prompt, r.Answer, r.Difficulty)).ToList();
        if (_prompts.Count == 0)
        {
            throw new ArgumentException($"{path}: no prompts");
        }

        if (_prompts.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Answer)) is { } missing)
        {
            throw new ArgumentException($"{path}: a prompt has no gold 'answer' field (\"{Shorten(missing.Question)}\"); GRPO needs answers to score rollouts");
        }

        _seed = seed;
    }

    public IReadOnlyList<GrpoPrompt> Draw(int step, int count, int level, int batch = 0)
    {
        if (batch > 0)
        {
            var random = Seeds.Random(Seeds.Mix(_seed, 0xD5A, ((long)step << 16) + batch)); // extra prompts: anywhere in the file
            return [.. Enumerable.Range(0, count).Select(_ => _prompts[random.Next(_prompts.Count)])];
        }

        var drawn = new List<GrpoPrompt>(count);
        for (long index = (long)step * count; drawn.Count < count; index++)
        {
            int epoch = (int)(index / _prompts.Count);
            if (epoch != _orderEpoch)
            {
                var random = Seeds.Random(Seeds.Mix(_seed, 0x6F70, epoch));
                _order = Enumerable.Range(0, _prompts.Count).OrderBy(_ => random.Next()).ToArray();
                _orderEpoch = epoch;
            }

            drawn.Add(_prompts[_order![index % _prompts.Count]]);
        }

        return drawn;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>Fresh training-split problems from the preset of the current curriculum level.</summary>
public sealed class CurriculumPromptSource(CurriculumConfig config, long seed) : IPromptSource
{
    public IReadOnlyList<GrpoPrompt> Draw(int step, int count, int level, int batch = 0)
    {
        var spec = PresetCatalog.Resolve(config.Levels[level]);
        var builder = new ExampleBuilder(new GenerateConfig { Preset = config.Levels[level], AnswerOnly = true });
        return ProblemGenerator.Stream(spec, count, batch == 0 ? Seeds.Mix(seed, step, level) : Seeds.Mix(Seeds.Mix(seed, step, level), 0xD5A, batch), Split.Train, new SplitAssigner())
            .Select(problem => builder.Build(problem))
            .Select(record => new GrpoPrompt(record.Prompt, record.Answer, record.Difficulty))
            .ToList();
    }
}
