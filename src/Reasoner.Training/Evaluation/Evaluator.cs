// Scores a model on a held-out dataset with the verifier's own reward functions (never a copy):
// greedy exact match, pass@k (unbiased estimator) and maj@k from k samples, completion length, format errors
// and step validity, broken down by difficulty, by operation and by operand width.
using System.ComponentModel;
using System.Text.Json.Serialization;
using Reasoner.Math.Data;
using Reasoner.Math.Expressions;
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;

namespace Reasoner.Training.Evaluation;

public sealed record EvalOptions
{
    [JsonPropertyName("samples")]
    [Description("Samples per problem for pass@k and maj@k; 1 means greedy only (greedy decoding always runs).")]
    public int Samples { get; init; } = 1;

    [JsonPropertyName("temperature")]
    [Description("Sampling temperature of the k samples.")]
    public double Temperature { get; init; } = 1.0;

    [JsonPropertyName("max_new_tokens")]
    [Description("Longest completion; by default what the model was trained for (its generation_config.json's max_new_tokens), else this.")]
    public int MaxNewTokens { get; init; } = 768;

    [JsonPropertyName("batch_size")]
    [Description("Rows decoded together (continuous batching: a finished row's place goes to the next prompt at once).")]
    public int BatchSize { get; init; } = 64;

    [JsonPropertyName("limit")]
    [Description("Score at most this many problems; 0 means all.")]
    public int Limit { get; init; }

    [JsonPropertyName("seed")]
    [Description("Seed for the k samples.")]
    public long Seed { get; init; } = 1;

    public EvalOptions Validate()
    {
        if (Samples < 1 || Temperature < 0 || MaxNewTokens < 1 || BatchSize < 1 || Limit < 0)
        {
            throw new ArgumentException("eval needs samples >= 1, temperature >= 0, max_new_tokens >= 1, batch_size >= 1, limit >= 0");
        }

        return this;
    }
}

public sealed record ItemResult(string Id, string Family, string Difficulty, string Operation, string? Width, string Completion, bool Correct, bool WellFormed, double? StepValidity, int CompletionTokens, double? PassAtK, bool? MajorityCorrect);

public sealed class Evaluator(CausalLM model, ITokenizer tokenizer)
{
    private readonly MathRewards _rewards = new(VerifierOptions.Default);

    public EvalReport Run(IReadOnlyList<DatasetRecord> records, EvalOptions options)
    {
        options.Validate();
        var items = options.Limit > 0 ? records.Take(options.Limit).ToList() : records.ToList();
        var generator = new TextGenerator(model, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer), tokenizer.VocabSize);
        int maxNew = System.Math.Min(options.MaxNewTokens, model.Config.MaxPositionEmbeddings - items.Select(r => tokenizer.Chat.Prompt(tokenizer, r.Prompt, r.System).Count).DefaultIfEmpty(0).Max());
        if (maxNew < 1)
        {
            throw new ArgumentException($"prompts are longer than the model's {model.Config.MaxPositionEmbeddings} positions");
        }

        var greedy = Generate(generator, items, new GenerationOptions { MaxNewTokens = maxNew }, options.BatchSize);
        var samples = new List<List<int>>[items.Count];
        if (options.Samples > 1)
        {
            for (int s = 0; s < options.Samples; s++)
            {
                var round = Generate(generator, items, new GenerationOptions { MaxNewTokens = maxNew, Temperature = options.Temperature, Seed = options.Seed + s }, options.BatchSize);
                for (int i = 0; i < items.Count; i++)
                {
                    (samples[i] ??= []).Add(round[i]);
                }
            }
        }

        var results = new List<ItemResult>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var record = items[i];
            var completion = tokenizer.Decode(greedy[i]);
            var input = RewardInput.ForAnswer(completion, record.Answer, record.Prompt);
            double? passAtK = null;
            bool? majority = null;
            if (samples[i] is { } drawn)
            {
                var texts = drawn.Select(tokenizer.Decode).ToList();
                int correct = texts.Count(t => _rewards.Accuracy(RewardInput.ForAnswer(t, record.Answer)) == 1.0);
                passAtK = PassAtK(texts.Count, correct, options.Samples);
                majority = MajorityCorrect(texts, record.Answer);
            }

            results.Add(new ItemResult(
                record.Id, record.FamilyName, record.Difficulty, OperationOf(record.Expression), record.Family is null && record.Equation is null ? WidthBucket.Of(record.Expression) : null, completion,
                _rewards.Accuracy(input) == 1.0, _rewards.Format(input) == 1.0, _rewards.StepValidity(input), greedy[i].Count, passAtK, majority));
        }

        return EvalReport.From(results, options.Samples);
    }

    /// <summary>Every prompt through the continuous batching engine, at most <paramref name="batchSize"/> rows at a time; each row's seed is its index's, whatever the batch.</summary>
    private List<List<int>> Generate(TextGenerator generator, List<DatasetRecord> items, GenerationOptions options, int batchSize) =>
        generator.Generate(items.Select(r => (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, r.Prompt, r.System)).ToList(), options with { MaxBatch = batchSize });

    /// <summary>Unbiased pass@k from n samples with c correct: 1 - C(n-c, k) / C(n, k) (Chen et al., 2021).</summary>
    public static double PassAtK(int n, int c, int k)
    {
        if (n - c < k)
        {
            return 1.0;
        }

        double missAll = 1.0;
        for (int i = n - c + 1; i <= n; i++)
        {
            missAll *= 1.0 - ((double)k / i);
        }

        return 1.0 - missAll;
    }

    /// <summary>Majority vote over the exact extracted answers; no answer is no vote.</summary>
    public bool MajorityCorrect(IReadOnlyList<string> completions, string gold)
    {
        var votes = completions
            .Select(c => AnswerExtractor.Extract(c, _rewards.Options))
            .Where(e => e.Success)
            .GroupBy(e => e.Value)
            .OrderByDescending(g => g.Count())
            .FirstOrDefault();
        return votes is not null && AnswerNormalizer.TryNormalize(gold, int.MaxValue, out var expected, out _) && votes.Key == expected;
    }

    /// <summary>The operators in the expression, e.g. "+" or "*,+"; "number" when there are none.</summary>
    public static string OperationOf(string expression)
    {
        if (!ExpressionParser.TryParse(expression, ExpressionLimits.Default, out var expr, out _) || expr is null)
        {
            return "unknown";
        }

        var ops = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(Expr e)
        {
            switch (e)
            {
                case BinaryExpression b:
                    ops.Add(b.Operator.Symbol());
                    Walk(b.Left);
                    Walk(b.Right);
                    break;
                case Negation n:
                    Walk(n.Operand);
                    break;
            }
        }

        Walk(expr);
        return ops.Count == 0 ? "number" : string.Join(",", ops);
    }
}
