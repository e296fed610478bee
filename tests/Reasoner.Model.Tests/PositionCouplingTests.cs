using Reasoner.Model.Export;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>Position coupling: each token of the addition layout placed by its digit column, the same in training and decoding.</summary>
public sealed class PositionCouplingTests
{
    private static readonly CharTokenizer Tokenizer = new();

    private static ModelConfig Coupled(int limit = 1024) => ModelConfig.Preset("nano", Tokenizer.VocabSize) with
    {
        HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        PositionCoupling = PositionCoupling.ColumnAddition, MaxPositionEmbeddings = limit,
    };

    private static CausalLM CoupledModel(long seed)
    {
        manual_seed(seed);
        var model = new CausalLM(Coupled());
        model.Coupling = PositionCoupling.For(model.Config, Tokenizer);
        return model;
    }

    private static List<int> Tokens(string completion)
    {
        var ids = new List<int>();
        for (int i = 0; i < completion.Length;)
        {
            var special = CharTokenizer.Specials.FirstOrDefault(s => string.CompareOrdinal(completion, i, s, 0, s.Length) == 0);
            ids.Add(Tokenizer.TokenId(special ?? completion[i].ToString())!.Value);
            i += special?.Length ?? 1;
        }

        return ids;
    }

    [Fact]
    public void Every_token_of_an_addition_sits_at_its_column_hand_computed()
    {
        // prompt: <|bos|> 1 2 ' ' + ' ' 9 <|assistant|>: P = 8, so column s slot k is 8 + 20 s + k
        var prompt = Tokenizer.Chat.Prompt(Tokenizer, "12 + 9");
        Assert.Equal(8, prompt.Count);
        var completion = Tokens("<think>\n2+9+0=11\n1+0+1=2\n12+9=21\n</think>\n<answer>21</answer>");
        var coupling = PositionCoupling.For(Coupled(), Tokenizer)!;
        var positions = coupling.Sequence([.. prompt, .. completion], prompt.Count);
        long[] expected =
        [
            0, 48, 28, 3, 4, 5, 29, 7,              // A = 12 at slot 0 (tens: 48, ones: 28), B = 9 at slot 1, the rest by index
            10, 11,                                  // <think> \n: column 0
            30, 31, 32, 33, 34, 35, 36, 37, 38,      // 2+9+0=11\n: column 1, slots 2..10
            50, 51, 52, 53, 54, 55, 56, 57,          // 1+0+1=2\n: column 2
            64, 44, 65, 45, 86, 66, 46, 87,          // 12+9=21\n: A's digits at slot 16, '+' above B's lead, B at 17, '=' above R's lead (R has 2 digits), R at 18
            87, 87, 87, 67, 47, 27,                  // </think> \n <answer> above the answer's lead, its digits at slot 19, </answer> at column 0
        ];
        Assert.Equal(expected, positions);
        long[] shifted = [.. expected.Select((p, i) => i < prompt.Count && p < prompt.Count ? p : p + 100)]; // the grid moves, the prompt's text stays
        Assert.Equal(shifted, coupling.Sequence([.. prompt, .. completion], prompt.Count, offset: 100));
    }

    [Fact]
    public void Training_shifts_the_grid_by_a_seeded_draw_and_a_row_too_long_for_the_full_shift_by_one_that_fits()
    {
        // Given a coupling that shifts by up to 100 positions and a 3-digit addition (its highest place at offset 0: 94)
        var prompt = Tokenizer.Chat.Prompt(Tokenizer, "123 + 456");
        var row = (List<int>)[.. prompt, .. Tokens("<think>\n3+6+0=9\n2+5+0=7\n1+4+0=5\n123+456=579\n</think>\n<answer>579</answer>")];
        var roomy = PositionCoupling.For(Coupled() with { PositionCouplingMaxOffset = 100 }, Tokenizer)!;
        long highest = roomy.Sequence(row, prompt.Count).Max();

        // When the tables have room for every shift, the draw is the row's offset
        for (int seed = 0; seed < 20; seed++)
        {
            int drawn = new Random(seed).Next(101);
            Assert.Equal(roomy.Sequence(row, prompt.Count, drawn), roomy.TrainingSequence(row, prompt.Count, new Random(seed)));
        }

        // And when they have room for 10 only, every shift stays inside them, and all eleven shifts that fit occur
        var tight = PositionCoupling.For(Coupled(limit: (int)highest + 11) with { PositionCouplingMaxOffset = 100 }, Tokenizer)!;
        var shifts = new HashSet<long>();
        for (int seed = 0; seed < 400; seed++)
        {
            var positions = tight.TrainingSequence(row, prompt.Count, new Random(seed));
            Assert.True(positions.Max() < highest + 11, $"seed {seed}: position {positions.Max()} past the tables");
            shifts.Add(positions.Max() - highest);
            Assert.Equal(tight.Sequence(row, prompt.Count, positions.Max() - highest), positions);
        }

        Assert.Equal(11, shifts.Count);
    }

    [Fact]
    public void A_carry_out_of_the_last_column_makes_the_read_out_one_column_longer()
    {
        var prompt = Tokenizer.Chat.Prompt(Tokenizer, "5 + 7");
        var completion = Tokens("<think>\n5+7+0=12\n5+7=12\n</think>\n<answer>12</answer>");
        var positions = PositionCoupling.For(Coupled(), Tokenizer)!.Sequence([.. prompt, .. completion], prompt.Count);
        int readOut = prompt.Count + 2 + 9; // after <think>\n and the one column line
        long column(int s, int slot) => prompt.Count + (20 * s) + slot;
        Assert.Equal([column(1, 16), column(2, 17), column(1, 17), column(3, 18), column(2, 18), column(1, 18)], positions.Skip(readOut).Take(6));
    }

    [Fact]
    public void Decoding_with_the_cache_places_tokens_as_the_whole_sequence_does_and_the_places_change_the_model()
    {
        using var model = CoupledModel(seed: 3);
        var prompts = new[] { "12 + 9", "4071 + 388", "7" }.Select(q => (IReadOnlyList<int>)Tokenizer.Chat.Prompt(Tokenizer, q)).ToList();
        var generator = new TextGenerator(model, Tokenizer.PadId, [Tokenizer.EosId], Tokenizer.VocabSize);
        var options = new GenerationOptions { MaxNewTokens = 60, Temperature = 1.0, Seed = 2 };
        var cached = generator.Generate(prompts, options);
        Assert.Equal(cached, generator.Generate(prompts, options with { UseCache = false }));
        Assert.Equal(cached, generator.Generate(prompts, options with { MaxBatch = 1 }));

        model.Coupling = null; // the same weights at positions 0, 1, 2, ... would be another model
        using var plain = new CausalLM(model.Config with { PositionCoupling = null });
        plain.load_state_dict(model.state_dict());
        Assert.NotEqual(cached, new TextGenerator(plain, Tokenizer.PadId, [Tokenizer.EosId], Tokenizer.VocabSize).Generate(prompts, options));
    }

    [Fact]
    public void A_coupled_model_refuses_to_run_without_its_positions_and_to_export()
    {
        using var model = CoupledModel(seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => model.Forward(tensor(new long[,] { { 1, 2, 3 } })));
        Assert.Contains("position_coupling", error.Message);
        var dir = Path.Combine(Path.GetTempPath(), $"coupled-{Guid.NewGuid():N}");
        Assert.Contains("Hugging Face", Assert.Throws<ArgumentException>(() => HfExport.Write(model, Tokenizer, dir, ScalarType.Float32)).Message);
        Assert.Contains("GGUF", Assert.Throws<ArgumentException>(() => GgufExport.Write(model, Tokenizer, dir + ".gguf", GgmlType.F32, "x")).Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Config_refuses_an_unknown_layout_and_positions_past_the_rotary_tables()
    {
        Assert.Contains("not implemented", Assert.Throws<ArgumentException>(() => (Coupled() with { PositionCoupling = "column-multiplication" }).Validate()).Message);
        Assert.Throws<ArgumentException>(() => (Coupled() with { PositionCoupling = null, PositionCouplingMaxOffset = 5 }).Validate());
        var coupling = PositionCoupling.For(Coupled(limit: 64), Tokenizer)!;
        var prompt = Tokenizer.Chat.Prompt(Tokenizer, "123 + 456");
        Assert.Contains("max_position_embeddings 64", Assert.Throws<ArgumentException>(() => coupling.Start(prompt)).Message);
    }
}
