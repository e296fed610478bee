using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reasoner.Math.Tests;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Network;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Our forward pass against an independent PyTorch implementation (scripts/torch_forward_oracle.py, Debian's
/// python3-torch) on the same seeded weights. The oracle's logits are committed under tests/fixtures/; with
/// REASONER_LIVE_ORACLES=1 (.ci/run) PyTorch is also run now, and a missing python3-torch fails the test.
/// </summary>
[Collection(nameof(ProcessWideTorchState))] // its fixture pins the seeded weights by hash
public sealed class ReferenceTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-ref-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [Trait("Category", "Oracle")]
    [InlineData("llama")]
    [InlineData("qwen2")]
    public void Logits_match_an_independent_pytorch_forward_pass(string layout)
    {
        var model = ModelTests.Tiny(qwen: layout == "qwen2", seed: 11);
        var tokenizer = new CharTokenizer();
        var ids = tokenizer.Chat.Prompt(tokenizer, "(37+48)*12-5");
        var ours = Logits(model, ids);
        var fixturePath = Oracles.FixturePath($"torch-forward-{layout}.json");
        if (Oracles.Live)
        {
            Checkpoint.Save(_dir, model, tokenizer);
            var output = Oracles.RunScript(Oracles.SystemPython, "torch_forward_oracle.py", [_dir, .. ids.Select(i => i.ToString(CultureInfo.InvariantCulture))], null, "install python3-torch; .ci/run does");
            var live = JsonSerializer.Deserialize<float[][]>(output)!;
            AssertClose(ours, live, "PyTorch (live)");
            if (Oracles.Record)
            {
                var record = new JsonObject
                {
                    ["provenance"] = Oracles.Provenance(Oracles.SystemPython, "torch_forward_oracle.py", "torch"),
                    ["model"] = $"tests/Reasoner.Model.Tests/ModelTests.cs Tiny(qwen: {layout == "qwen2"}, seed: 11)",
                    ["weights_sha256"] = WeightsHash(model),
                    ["ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
                    ["logits"] = JsonNode.Parse(output),
                };
                Reasoner.Math.Data.AtomicFile.WriteAllText(fixturePath, record.ToJsonString() + "\n");
            }
        }

        var fixture = JsonNode.Parse(File.ReadAllText(fixturePath))!;
        Assert.True(fixture["weights_sha256"]!.GetValue<string>() == WeightsHash(model),
            $"the seeded weights differ from those {fixturePath} was computed from (the model or its initialisation changed); re-record with scripts/record-oracle-fixtures.sh");
        Assert.Equal(fixture["ids"]!.AsArray().Select(i => i!.GetValue<int>()), ids);
        AssertClose(ours, fixture["logits"].Deserialize<float[][]>()!, $"PyTorch ({Path.GetFileName(fixturePath)})");
    }

    private static float[][] Logits(CausalLM model, List<int> ids)
    {
        using var noGrad = no_grad();
        var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).squeeze(0);
        var flat = logits.data<float>().ToArray();
        int vocab = (int)logits.shape[1];
        return Enumerable.Range(0, (int)logits.shape[0]).Select(t => flat.AsSpan(t * vocab, vocab).ToArray()).ToArray();
    }

    private static void AssertClose(float[][] ours, float[][] reference, string source)
    {
        Assert.Equal(ours.Length, reference.Length);
        double worst = 0;
        for (int t = 0; t < reference.Length; t++)
        {
            Assert.Equal(ours[t].Length, reference[t].Length);
            for (int v = 0; v < reference[t].Length; v++)
            {
                worst = System.Math.Max(worst, System.Math.Abs(ours[t][v] - reference[t][v]));
            }
        }

        Assert.True(worst < Tolerance, $"largest logit difference from {source}: {worst}");
    }

    /// <summary>SHA-256 over every tensor's name and fp32 bytes, in name order: what the fixture was computed from.</summary>
    internal static string WeightsHash(CausalLM model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.contiguous().to_type(ScalarType.Float32).data<float>().ToArray().AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
