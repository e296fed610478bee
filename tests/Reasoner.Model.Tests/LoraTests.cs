using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using Reasoner.Training.Grpo;
using Reasoner.Training.Runs;
using Reasoner.Training.Sft;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>LoRA: PEFT's file layout and key names, save/load/merge round trips, and training only the adapters.</summary>
[Collection(nameof(ProcessWideTorchState))]
public sealed class LoraTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-lora-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string BaseCheckpoint()
    {
        var path = Path.Combine(_dir, "base");
        Checkpoint.Save(path, ModelTests.Tiny(qwen: true, seed: 3), new CharTokenizer());
        return path;
    }

    private static LoraAdapters Randomized(CausalLM model)
    {
        manual_seed(9);
        var adapters = new LoraAdapters(model.Config, new LoraConfig { R = 4, LoraAlpha = 8, TargetModules = LoraConfig.AllTargets, BaseModelNameOrPath = "base" });
        using var noGrad = no_grad();
        foreach (var p in adapters.parameters())
        {
            p.normal_(0, 0.1); // B starts at zero; make it matter
        }

        return adapters;
    }

    [Fact]
    public void Adapters_save_in_peft_layout_load_back_and_merge_to_the_same_logits()
    {
        var baseDir = BaseCheckpoint();
        var (model, tokenizer) = Checkpoint.Load(baseDir);
        var adapters = Randomized(model);
        model.Attach(adapters);
        var ids = tokenizer.Chat.Prompt(tokenizer, "47 * 86");
        var withAdapters = Logits(model, ids);

        var adapterDir = Path.Combine(_dir, "adapter");
        adapters.Save(adapterDir, Path.GetFullPath(baseDir));
        tokenizer.Save(adapterDir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterDir, LoraAdapters.ConfigFile)))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(8.0, config["lora_alpha"]!.GetValue<double>());
        var header = SafetensorsHeader.Read(Path.Combine(adapterDir, LoraAdapters.WeightsFile));
        Assert.Equal([4, 32], header["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].Shape);
        Assert.Equal([32, 4], header["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"].Shape);
        Assert.Equal([4, 64], header["base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"].Shape);
        Assert.Equal(2 * 7 * 2, header.Count); // 2 layers x 7 targets x (A, B)

        var (loaded, _) = Checkpoint.Load(adapterDir); // the base is found through base_model_name_or_path
        Assert.NotNull(loaded.Lora);
        AssertClose(withAdapters, Logits(loaded, ids), 1e-5);

        loaded.Lora!.MergeInto(loaded);
        loaded.Attach(null);
        AssertClose(withAdapters, Logits(loaded, ids), 1e-4);

        adapters.Enabled = false; // adapters off: the base model again (GRPO's reference)
        var (plain, _) = Checkpoint.Load(baseDir);
        AssertClose(Logits(plain, ids), Logits(model, ids), 1e-6);
    }

    [Fact]
    public void A_lora_run_trains_only_the_adapters_saves_peft_checkpoints_and_resumes_exactly()
    {
        var baseDir = BaseCheckpoint();
        var data = Path.Combine(_dir, "data.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "level-1", Count = 120, Seed = 3 }, data);
        var config = new TrainConfig
        {
            Data = data, InitFrom = baseDir, MaxSteps = 12, BatchTokens = 1_024, WarmupSteps = 2, CheckpointEvery = 5, LogEvery = 1, Seed = 4, LearningRate = 1e-2,
            Lora = new LoraSettings { R = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["q_proj", "v_proj", "down_proj"] },
        };
        var straight = SftTrainer.Run(config, Path.Combine(_dir, "straight"));
        Assert.True(Checkpoint.IsAdapterFolder(straight.FinalCheckpoint), "a LoRA checkpoint holds the adapters, not full weights");
        Assert.False(File.Exists(Path.Combine(straight.FinalCheckpoint, Checkpoint.WeightsFile)));

        var (trained, _) = Checkpoint.Load(straight.FinalCheckpoint);
        var (original, _) = Checkpoint.Load(baseDir);
        var before = original.state_dict();
        foreach (var (name, tensor) in trained.state_dict())
        {
            Assert.True(tensor.equal(before[name]).all().item<bool>(), $"base weight {name} changed");
        }

        Assert.All(trained.Lora!.PeftTensors().Where(kv => kv.Key.Contains("lora_B", StringComparison.Ordinal)), kv => Assert.True(kv.Value.abs().max().item<float>() > 0, $"{kv.Key} did not train"));

        var killed = Path.Combine(_dir, "killed");
        SftTrainer.Run(config, killed, stopAfterStep: 7); // last checkpoint at 5
        var resumed = SftTrainer.Run(config, killed, resume: true);
        SameWeights.Assert(trained.Lora.PeftTensors(), Checkpoint.Load(resumed.FinalCheckpoint).Model.Lora!.PeftTensors());
    }

    [Fact]
    public void Grpo_with_lora_uses_the_base_with_adapters_off_as_its_reference()
    {
        var baseDir = BaseCheckpoint();
        var prompts = Path.Combine(_dir, "prompts.jsonl");
        DatasetGenerator.Run(new GenerateConfig { Preset = "add-1d", Count = 20, Seed = 2 }, prompts);
        var config = new GrpoConfig
        {
            InitFrom = baseDir, Data = prompts, MaxSteps = 3, PromptsPerStep = 2, NumGenerations = 4, MaxNewTokens = 8, Beta = 0.1, LearningRate = 1e-2, Seed = 3,
            Lora = new LoraSettings { R = 2 },
        };
        var result = GrpoTrainer.Run(config, Path.Combine(_dir, "grpo"));
        var kl = RunFolder.ReadMetrics(Path.Combine(_dir, "grpo")).Where(r => r.Kind == "train").Select(r => r.Values["kl"]).ToList();
        Assert.Equal(0.0, kl[0], 6); // B starts at zero: the adapted model starts as its reference
        Assert.True(Checkpoint.IsAdapterFolder(result.FinalCheckpoint));
    }

    private static float[] Logits(CausalLM model, List<int> ids)
    {
        using var noGrad = no_grad();
        using var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0));
        return logits.reshape(-1).data<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Select((v, i) => System.Math.Abs(v - actual[i])).Max();
        Assert.True(worst < tolerance, $"largest difference {worst}");
    }
}
