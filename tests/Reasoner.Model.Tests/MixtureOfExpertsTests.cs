using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Export;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Sft;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// The sparse mixture-of-experts MLP (Mixtral's layout). Its forward pass against PyTorch is in HfCheckpointTests
/// (mixtral, F32 and sharded BF16); here: the load-balancing loss by hand, training with router metrics, the moe-mini
/// preset's sizes, and what is refused.
/// </summary>
public sealed class MixtureOfExpertsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-moe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ModelConfig Tiny(int vocab) => new()
    {
        ModelType = "mixtral", VocabSize = vocab, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 256, NumLocalExperts = 4, NumExpertsPerTok = 2, RouterAuxLossCoef = 0.02,
    };

    [Fact]
    public void The_balance_loss_equals_a_hand_computed_value()
    {
        // Two tokens, three experts, top 2: token 0 -> experts 0 and 1, token 1 -> experts 0 and 2.
        float[] p0 = [0.5f, 0.3f, 0.2f], p1 = [0.6f, 0.1f, 0.3f];
        using var model = new CausalLM(Tiny(16) with { NumLocalExperts = 3 });
        using var scope = NewDisposeScope();
        model.Routing = [new RouterRecord(tensor(p0.Concat(p1).ToArray()).reshape(2, 3), tensor(new long[] { 0, 1, 0, 2 }).reshape(2, 2))];

        // HF: tokens_per_expert (k, E) = mean over tokens of one_hot(choice k); router_prob (E) = mean over tokens; loss = E * sum.
        double[,] share = { { 1.0, 0.0, 0.0 }, { 0.0, 0.5, 0.5 } };
        double[] meanP = [(0.5 + 0.6) / 2, (0.3 + 0.1) / 2, (0.2 + 0.3) / 2];
        double expected = 3 * Enumerable.Range(0, 2).Sum(k => Enumerable.Range(0, 3).Sum(e => share[k, e] * meanP[e]));
        var (loss, load) = model.TakeRouting();

        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Equal([0.5, 0.25, 0.25], load);
        Assert.Empty(model.Routing);
    }

    [Fact]
    public void Training_a_mixture_of_experts_logs_the_router_and_balances_with_the_aux_loss()
    {
        var data = Path.Combine(_dir, "data.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 200, Seed = 3 }, data);
        var model = Path.Combine(_dir, "moe.json");
        File.WriteAllText(model, JsonSerializer.Serialize(Tiny(new CharTokenizer().VocabSize)));
        var run = Path.Combine(_dir, "run");
        SftTrainer.Run(new TrainConfig { Data = data, Model = model, MaxSteps = 10, BatchTokens = 1_024, WarmupSteps = 2, CheckpointEvery = 10, EvalEvery = 1_000, LogEvery = 5, Seed = 7 }, run);

        var metrics = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).Where(m => m["router_load_max"] is not null).ToList();
        Assert.NotEmpty(metrics);
        Assert.All(metrics, m =>
        {
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(e => m[$"router_load_{e}"]!.GetValue<double>()), 6);
            Assert.InRange(m["router_load_max"]!.GetValue<double>(), 1.0, 4.0);
            Assert.True(double.IsFinite(m["router_balance_loss"]!.GetValue<double>()));
        });

        var saved = JsonNode.Parse(File.ReadAllText(Directory.GetDirectories(Path.Combine(run, "checkpoints")).Max()! + "/config.json"))!;
        Assert.Equal("MixtralForCausalLM", saved["architectures"]![0]!.GetValue<string>());
        Assert.Equal(4, saved["num_local_experts"]!.GetValue<int>());
    }

    [Fact]
    public void The_moe_mini_preset_has_8_experts_of_which_2_are_active()
    {
        var config = ModelConfig.Preset("moe-mini", 128);
        using var model = new CausalLM(config);
        long expert = 3L * config.HiddenSize * config.IntermediateSize, layers = config.NumHiddenLayers;
        long active = model.ParameterCount - (layers * (config.NumLocalExperts - config.NumExpertsPerTok) * expert);
        Assert.Equal((8, 2), (config.NumLocalExperts, config.NumExpertsPerTok));
        Assert.InRange(model.ParameterCount, 25_000_000, 35_000_000);
        Assert.InRange(active, 7_000_000, 9_500_000);
    }

    [Fact]
    public void Gguf_export_and_lora_on_experts_are_refused_by_name()
    {
        using var model = new CausalLM(Tiny(new CharTokenizer().VocabSize));
        var gguf = Assert.Throws<ArgumentException>(() => GgufExport.Write(model, new CharTokenizer(), Path.Combine(_dir, "m.gguf"), GgmlType.F32, "m"));
        Assert.Contains("mixture-of-experts", gguf.Message, StringComparison.Ordinal);
        var lora = Assert.Throws<ArgumentException>(() => new LoraAdapters(model.Config, new LoraConfig { TargetModules = ["q_proj", "gate_proj"] }));
        Assert.Contains("gate_proj", lora.Message, StringComparison.Ordinal);
        using var attention = new LoraAdapters(model.Config, new LoraConfig { TargetModules = ["q_proj", "v_proj"] });
    }
}
