using Reasoner.Math.Data;
using Reasoner.Math.Generation;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests;

/// <summary>The claim the product rests on: generated data is never wrong. scripts/property-million.sh runs 1,000,000.</summary>
public sealed class PropertyTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Every_answer_and_every_step_of_100k_generated_items_across_all_presets_re_verifies()
    {
        var report = PropertyCheck.Run(totalItems: 100_000, seed: 2026);
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures.Take(10)));
        Assert.True(report.Verified >= 100_000, $"only {report.Verified} items verified");
        Assert.Equal(PresetCatalog.All.Count, report.PresetsCovered);
        Assert.True(report.StepsChecked > 500_000, $"only {report.StepsChecked} steps checked");
    }
}

/// <summary>Generates items over every preset and style and re-verifies each from its text alone.</summary>
internal static class PropertyCheck
{
    public sealed record Report(long Verified, long StepsChecked, int PresetsCovered, List<string> Failures);

    public static Report Run(long totalItems, long seed)
    {
        var presets = PresetCatalog.All.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var styles = Enum.GetValues<TraceStyle>();
        var builders = styles.SelectMany(style => new[]
        {
            new ExampleBuilder(new GenerateConfig { Style = style, Questions = QuestionStyle.Mixed }),
            new ExampleBuilder(new GenerateConfig { Style = style, ReflectionRate = 0.2, FinalCheck = true, Boxed = true, Hashes = true, Questions = QuestionStyle.Natural }),
        }).ToArray();
        var rewards = new MathRewards(VerifierOptions.Default);
        long verified = 0, steps = 0;
        var covered = new HashSet<string>();
        var failures = new List<string>();
        for (long i = 0; verified < totalItems; i++)
        {
            var spec = presets[(int)(i % presets.Count)];
            long itemSeed = Seeds.Mix(seed, i);
            if (ProblemGenerator.TryGenerate(spec, itemSeed) is not { } draw)
            {
                continue;
            }

            var problem = new Problem($"p{i}", draw.Expression, draw.Expression.ToString(), draw.Value, spec.Name, itemSeed, Split.Train);
            try
            {
                var record = builders[i % builders.Length].Build(problem);
                var failure = ExampleVerifier.Verify(record, rewards);
                if (failure is not null)
                {
                    failures.Add($"{problem.Text}: {failure}");
                }

                steps += StepChecker.Check(record.Completion).Found;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                failures.Add($"{spec.Name} seed {itemSeed} '{problem.Text}': {e.Message}");
            }

            covered.Add(spec.Name);
            verified++;
        }

        return new Report(verified, steps, covered.Count, failures);
    }
}
