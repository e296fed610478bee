// Proves the data is never wrong at scale: generates items over every preset, trace style and option
// mix, and re-verifies each from its text alone (answer, format, every step). `reasoner selfcheck` runs it.
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Data;

public static class SelfCheck
{
    public sealed record Report(long Verified, long StepsChecked, int PresetsCovered, IReadOnlyList<string> Failures);

    /// <param name="progress">Called every 1,000 items with the number verified so far.</param>
    public static Report Run(long totalItems, long seed, Action<long>? progress = null)
    {
        var presets = PresetCatalog.All.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var builders = Enum.GetValues<TraceStyle>().SelectMany(style => new[]
        {
            new ExampleBuilder(new GenerateConfig { Style = style, Questions = QuestionStyle.Mixed }),
            new ExampleBuilder(new GenerateConfig { Style = style, ReflectionRate = 0.2, FinalCheck = true, Boxed = true, Hashes = true, Questions = QuestionStyle.Natural }),
        }).Concat( // the digit style's layout options, as the demo uses them and with reflections
        [
            new ExampleBuilder(new GenerateConfig { Style = TraceStyle.Digit, PadWidth = 3 }),
            new ExampleBuilder(new GenerateConfig { Style = TraceStyle.Digit, PadWidth = 3, Terse = true, ReflectionRate = 0.2, FinalCheck = true }),
            new ExampleBuilder(new GenerateConfig { Style = TraceStyle.Digit, PadWidth = 3, Compact = true }),
            new ExampleBuilder(new GenerateConfig { Style = TraceStyle.Digit, Compact = true, ReflectionRate = 0.2, FinalCheck = true }),
            new ExampleBuilder(new GenerateConfig { Style = TraceStyle.Digit, Compact = true, MultiplierCursor = true }), // the multiplication recipe's layout
        ]).ToArray();
        var rewards = new MathRewards(VerifierOptions.Default);
        long verified = 0, steps = 0;
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        for (long i = 0; verified < totalItems; i++)
        {
            var spec = presets[(int)(i % presets.Count)];
            long itemSeed = Seeds.Mix(seed, i);
            if (ProblemGenerator.TryGenerate(spec, itemSeed) is not { } draw)
            {
                continue;
            }

            var problem = new Problem($"selfcheck-{i}", draw.Expression, draw.Expression.ToString(), draw.Value, spec.Name, itemSeed, Split.Train);
            try
            {
                var record = builders[i % builders.Length].Build(problem); // verifies once inside
                if (ExampleVerifier.Verify(record, rewards) is { } failure)
                {
                    failures.Add($"{spec.Name} seed {itemSeed} '{problem.Text}': {failure}");
                }

                steps += StepChecker.Check(record.Completion).Found;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                failures.Add($"{spec.Name} seed {itemSeed} '{problem.Text}': {e.Message}");
            }

            covered.Add(spec.Name);
            verified++;
            if (verified % 1_000 == 0)
            {
                progress?.Invoke(verified);
            }
        }

        return new Report(verified, steps, covered.Count, failures);
    }
}
