// The problems a distill or rewrite run works on: a dataset file, or problems generated from presets (kept beside the
// output as OUT.problems.jsonl with its card, so the run's inputs stay on disk and a resumed run reads the same ones).
using Reasoner.Math.Data;
using Reasoner.Math.Verification;

namespace Reasoner.Distillation;

public static class ProblemSource
{
    public static IReadOnlyList<DatasetRecord> Load(string? data, string? preset, int count, long seed, string outPath)
    {
        if (data is null)
        {
            data = Path.ChangeExtension(Path.GetFullPath(outPath), null) + ".problems.jsonl";
            var config = new GenerateConfig { Preset = preset!, Count = count, Seed = seed }.Validate();
            if (!File.Exists(data) || DatasetCard.TryLoad(DatasetCard.PathFor(data)) is not { } card || card.Config != config || card.Sha256 != DatasetCard.Sha256Of(data))
            {
                DatasetGenerator.Run(config, data);
            }
        }

        var problems = DatasetReader.Read(data, exactAnswers: true).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < problems.Count; i++)
        {
            if (!seen.Add(problems[i].Id))
            {
                throw new InvalidDataException($"{data}: id '{problems[i].Id}' appears twice (row {i + 1}); ids must be unique for a run to resume");
            }

            if (problems[i].Answer.Length == 0)
            {
                throw new InvalidDataException($"{data}: row {i + 1} ('{problems[i].Id}') has no gold 'answer'; the verifier needs one to keep or reject a sample");
            }

            MathRewards.ParseGold(problems[i].Answer);
        }

        return problems;
    }
}
