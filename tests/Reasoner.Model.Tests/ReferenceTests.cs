using System.Diagnostics;
using System.Text.Json;
using Reasoner.Model.Checkpoints;
using Reasoner.Model.Tokenization;
using static TorchSharp.torch;

namespace Reasoner.Model.Tests;

/// <summary>
/// Our forward pass against an independent PyTorch implementation (scripts/torch_forward_oracle.py, Debian's
/// python3-torch) on the same weights. .ci/run installs python3-torch; without it the test fails, it never skips.
/// </summary>
public sealed class ReferenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasoner-ref-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [Trait("Category", "Oracle")]
    [InlineData(false)]
    [InlineData(true)]
    public void Logits_match_an_independent_pytorch_forward_pass(bool qwen)
    {
        var model = ModelTests.Tiny(qwen, seed: 11);
        var tokenizer = new CharTokenizer();
        Checkpoint.Save(_dir, model, tokenizer);
        var ids = ChatTemplate.Prompt(tokenizer, "(37+48)*12-5");
        float[,] ours;
        using (no_grad())
        {
            var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).squeeze(0);
            ours = new float[logits.shape[0], logits.shape[1]];
            var flat = logits.data<float>().ToArray();
            Buffer.BlockCopy(flat, 0, ours, 0, flat.Length * sizeof(float));
        }

        var reference = RunOracle(_dir, ids);
        Assert.Equal(ours.GetLength(0), reference.Length);
        double worst = 0;
        for (int t = 0; t < reference.Length; t++)
        {
            for (int v = 0; v < reference[t].Length; v++)
            {
                worst = System.Math.Max(worst, System.Math.Abs(ours[t, v] - reference[t][v]));
            }
        }

        Assert.True(worst < 1e-4, $"largest logit difference {worst}");
    }

    private static float[][] RunOracle(string checkpoint, List<int> ids)
    {
        var script = Path.Combine(Reasoner.Math.Tests.RepoPaths.Root, "scripts", "torch_forward_oracle.py");
        // Debian's python3-torch lives in the system interpreter, which may not be the python3 first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(checkpoint);
        foreach (var id in ids)
        {
            start.ArgumentList.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"PyTorch oracle failed (is python3-torch installed? .ci/run installs it): {error}");
        return JsonSerializer.Deserialize<float[][]>(output.Result)!;
    }
}
