using Reasoner.Model.Generation;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>The one decoding engine: rows join a running batch and leave it at once, and a row's text depends on its prompt and seed only.</summary>
public sealed class DecodeBatchTests
{
    private static readonly CharTokenizer Tokenizer = new();

    private static List<IReadOnlyList<int>> Prompts(params string[] questions) => questions.Select(q => (IReadOnlyList<int>)Tokenizer.Chat.Prompt(Tokenizer, q)).ToList();

    [Fact]
    public void Sampled_rows_give_the_same_text_in_any_batch_and_schedule()
    {
        using var model = ModelTests.Tiny(qwen: true, seed: 5);
        var generator = new TextGenerator(model, Tokenizer.PadId, [Tokenizer.EosId], Tokenizer.VocabSize);
        var prompts = Prompts("12+7", "(37+48)*12-5", "9", "3*4", "100-99", "7");
        var options = new GenerationOptions { MaxNewTokens = 40, Temperature = 1.0, TopP = 0.9, Seed = 3 };
        var together = generator.Generate(prompts, options);
        Assert.Equal(together, generator.Generate(prompts, options with { MaxBatch = 2 }));
        Assert.Equal(together, generator.Generate(prompts, options with { MaxBatch = 4, Continuous = false }));
        Assert.NotEqual(together, generator.Generate(prompts, options with { Seed = 4 }));
        Assert.True(together.Distinct(new SequenceComparer()).Count() > 3, "rows should draw different texts");
    }

    [Fact]
    public void A_row_that_joins_a_running_batch_decodes_as_it_does_alone_and_a_finished_row_leaves_at_once()
    {
        using var model = ModelTests.Tiny(seed: 2);
        using var noGrad = no_grad();
        model.eval();
        var prompts = Prompts("(37+48)*12-5", "9", "4+4");
        var alone = new TextGenerator(model, Tokenizer.PadId, []).Generate([prompts[2]], new GenerationOptions { MaxNewTokens = 30 })[0];

        using var batch = new DecodeBatch(model, Tokenizer.PadId);
        var texts = new Dictionary<DecodeRow, List<int>>();
        void Chosen(DecodeRow row, int id, Tensor logits, int index) => (texts.TryGetValue(row, out var t) ? t : texts[row] = []).Add(id);
        var rows = prompts.Select(p => new DecodeRow(p, 0, 0, 1, new Random(1))).ToList();
        batch.Join(rows.Take(2).ToList(), Chosen);
        for (int i = 0; i < 5; i++)
        {
            batch.Step(Chosen);
        }

        rows[1].Done = true;
        batch.Compact();
        Assert.Equal([rows[0]], batch.Rows);

        batch.Join([rows[2]], Chosen); // a shorter prompt joins a row six tokens in: padding on its left, masked
        while (texts[rows[2]].Count < 30)
        {
            batch.Step(Chosen);
        }

        Assert.Equal(alone, texts[rows[2]]);
        Assert.Equal(2, batch.Rows.Count);
        Assert.Equal(6, texts[rows[1]].Count); // it left: no token after it was done
    }

    private sealed class SequenceComparer : IEqualityComparer<List<int>>
    {
        public bool Equals(List<int>? x, List<int>? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(List<int> obj) => obj.Count;
    }
}
