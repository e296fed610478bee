// `eval --suite general`: does a model still do what its base learned before math SFT? Held-out tasks of the kinds in
// the pretraining corpus (PretrainCorpus: copy, reverse and sort a lowercase string), scored exactly: the text in the
// answer tag must equal the expected string. The suite's strings are 5-8 letters drawn from their own seed; the corpus
// draws 3-8 letters, so a suite string of 26^5 or more possibilities appears in a 20,000-row corpus with a chance under
// 1 in 1,000 per item (and is then still the right answer, not a leak of a label).
using Reasoner.Math.Problems;
using Reasoner.Math.Verification;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;

namespace Reasoner.Training.Evaluation;

public sealed record GeneralItem(string Task, string Prompt, string Expected);

public sealed record GeneralReport(int Items, double Accuracy, IReadOnlyDictionary<string, double> ByTask, IReadOnlyList<(GeneralItem Item, string Completion, bool Correct)> Samples);

public static class GeneralSuite
{
    public static readonly IReadOnlyList<string> Tasks = ["copy", "reverse", "sort"];

    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    public static List<GeneralItem> Items(int perTask, long seed = 20_261_202)
    {
        var random = Seeds.Random(Seeds.Mix(seed, 0x6E4E));
        var items = new List<GeneralItem>();
        foreach (var task in Tasks)
        {
            for (int i = 0; i < perTask; i++)
            {
                var text = new string(Enumerable.Range(0, random.Next(5, 9)).Select(_ => Letters[random.Next(Letters.Length)]).ToArray());
                var expected = task switch { "copy" => text, "reverse" => new string(text.Reverse().ToArray()), _ => new string(text.Order().ToArray()) };
                items.Add(new GeneralItem(task, $"{task} {text}", expected));
            }
        }

        return items;
    }

    /// <summary>The answer tag's text after the thinking, or null; exact string comparison, no normalizing.</summary>
    public static string? AnswerOf(string completion)
    {
        int think = completion.LastIndexOf(AnswerExtractor.ThinkClose, StringComparison.Ordinal);
        var tail = think >= 0 ? completion[(think + AnswerExtractor.ThinkClose.Length)..] : completion;
        int open = tail.IndexOf(AnswerExtractor.AnswerOpen, StringComparison.Ordinal);
        int close = open < 0 ? -1 : tail.IndexOf(AnswerExtractor.AnswerClose, open, StringComparison.Ordinal);
        return close < 0 ? null : tail[(open + AnswerExtractor.AnswerOpen.Length)..close].Trim();
    }

    public static GeneralReport Run(CausalLM model, ITokenizer tokenizer, int perTask, int maxNewTokens = 64, int batchSize = 64)
    {
        var items = Items(perTask);
        var generator = new TextGenerator(model, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer), tokenizer.VocabSize);
        var samples = new List<(GeneralItem, string, bool)>();
        model.eval();
        foreach (var chunk in items.Chunk(batchSize))
        {
            var prompts = chunk.Select(i => (IReadOnlyList<int>)tokenizer.Chat.Prompt(tokenizer, i.Prompt)).ToList();
            var outputs = generator.Generate(prompts, new GenerationOptions { MaxNewTokens = maxNewTokens });
            for (int i = 0; i < chunk.Length; i++)
            {
                var text = tokenizer.Decode(outputs[i]);
                samples.Add((chunk[i], text, AnswerOf(text) == chunk[i].Expected));
            }
        }

        var byTask = Tasks.ToDictionary(t => t, t => samples.Where(s => s.Item1.Task == t).Average(s => s.Item3 ? 1.0 : 0.0));
        return new GeneralReport(samples.Count, samples.Average(s => s.Item3 ? 1.0 : 0.0), byTask, samples);
    }
}
