using Reasoner.Model.Checkpoints;
using Reasoner.Model.Generation;
using Reasoner.Model.Network;
using Reasoner.Model.Runtime;
using Reasoner.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Reasoner.Serving.Tests;

/// <summary>
/// Two small character-level checkpoints, made once per test run: "taught" has learned three fixed answers by heart
/// (one of them with a wrong step on purpose, so a page can show both marks), and "noise" has random weights, which
/// rarely stop, for long generations.
/// </summary>
internal static class TestModels
{
    public static readonly (string Question, string Completion)[] Taught =
    [
        ("3 + 4", "<think>\n3+4=7\n</think>\n<answer>7</answer>"),
        ("12 + 7", "<think>\n2+7=9\n1+0=1\n12+7=19\n</think>\n<answer>19</answer>"),
        ("5 + 5", "<think>\n5+5=11\n</think>\n<answer>11</answer>"),
    ];

    private static readonly Lazy<string> Root = new(Create);

    public static string TaughtPath => Path.Combine(Root.Value, "taught");

    public static string NoisePath => Path.Combine(Root.Value, "noise");

    private static ModelConfig Config(CharTokenizer tokenizer) => ModelConfig.Preset("nano", tokenizer.VocabSize) with
    {
        HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 256,
    };

    private static string Create()
    {
        var root = Directory.CreateTempSubdirectory("reasoner-serve-models-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
        var tokenizer = new CharTokenizer();
        manual_seed(11);
        using (var noise = new CausalLM(Config(tokenizer)))
        {
            Checkpoint.Save(Path.Combine(root, "noise"), noise, tokenizer);
        }

        manual_seed(12);
        using var taught = new CausalLM(Config(tokenizer));
        Teach(taught, tokenizer);
        Checkpoint.Save(Path.Combine(root, "taught"), taught, tokenizer);
        return root;
    }

    /// <summary>Full-batch Adam on the three completions until greedy decoding reproduces each one exactly.</summary>
    private static void Teach(CausalLM model, CharTokenizer tokenizer)
    {
        var rows = Taught.Select(t => (Prompt: tokenizer.Chat.Prompt(tokenizer, t.Question), Completion: tokenizer.Chat.Completion(tokenizer, t.Completion))).ToList();
        using var optimizer = optim.Adam(model.parameters(), lr: 3e-3);
        for (int step = 0; step < 600; step++)
        {
            if (step % 50 == 49 && Reproduces(model, tokenizer))
            {
                return;
            }

            model.train();
            optimizer.zero_grad();
            using var scope = NewDisposeScope();
            Tensor? total = null;
            foreach (var (prompt, completion) in rows)
            {
                var ids = prompt.Concat(completion).Select(i => (long)i).ToArray();
                var input = tensor(ids[..^1]).unsqueeze(0);
                var target = tensor(ids[1..].Select((id, i) => i + 1 < prompt.Count ? -100L : id).ToArray());
                var loss = nn.functional.cross_entropy(model.Forward(input).squeeze(0), target, ignore_index: -100);
                total = total is null ? loss : total.Plus(loss);
            }

            total!.backward();
            optimizer.step();
        }

        Assert.True(Reproduces(model, tokenizer), "the taught test model did not learn its three answers");
    }

    private static bool Reproduces(CausalLM model, CharTokenizer tokenizer)
    {
        var generator = new TextGenerator(model, tokenizer.PadId, tokenizer.Chat.StopIds(tokenizer));
        return Taught.All(t => tokenizer.Decode(generator.Generate([tokenizer.Chat.Prompt(tokenizer, t.Question)], new GenerationOptions { MaxNewTokens = 80 })[0]) == t.Completion);
    }
}
