// Every family's rows against an independent oracle (scripts/family_oracle.py: sympy for the gold value, Python's own
// parser and fractions for every step, equation lines by their solution sets). The oracle's verdicts on the same rows
// are committed in tests/fixtures/sympy-families.json; with REASONER_LIVE_ORACLES=1 (.ci/run) the oracle runs now,
// and must also catch a row whose step was corrupted (so this test can fail).
using System.Text.Json.Nodes;
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Families;

[Trait("Category", "Oracle")]
public sealed class FamilyOracleTests
{
    private const string Fixture = "sympy-families.json";
    private const int PerPreset = 60;

    private static List<DatasetRecord> Rows() =>
        ProblemFamilies.All.SelectMany(family => family.PresetList
                .Where(p => family.Name != "arithmetic" || p.Name.StartsWith("level-", StringComparison.Ordinal))
                .SelectMany(p => family.Generate(new GenerateConfig { Preset = p.Name, Count = PerPreset, Seed = 31, Style = TraceStyle.Digit }, new DrawStats())))
            .ToList();

    private static string Jsonl(IEnumerable<DatasetRecord> rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"oracle-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var writer = new DatasetWriter(path, DatasetShape.Messages))
            {
                foreach (var row in rows)
                {
                    writer.Write(row);
                }

                writer.Commit();
            }

            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_familys_rows_agree_with_the_oracle_on_the_answer_and_every_step()
    {
        var rows = Rows();
        var fixturePath = Oracles.FixturePath(Fixture);
        if (Oracles.Live)
        {
            var output = Oracles.RunScript("python3", "family_oracle.py", [], Jsonl(rows), "install python3-sympy; .ci/run does");
            var live = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(rows.Count, live.Count);
            if (Oracles.Record)
            {
                var record = new JsonObject
                {
                    ["provenance"] = Oracles.Provenance("python3", "family_oracle.py", "sympy"),
                    ["rows"] = new JsonArray([.. live.Select(v => (JsonNode)new JsonArray(v["id"]!.GetValue<string>(), v["value"]!.GetValue<string>(), v["claims"]!.GetValue<int>(), v["wrong"]!.AsArray().Count))]),
                };
                AtomicFile.WriteAllText(fixturePath, record.ToJsonString(JsonText.Indented) + "\n");
            }

            Assert.All(live, v => Assert.True(v["answer_ok"]!.GetValue<bool>() && v["final_ok"]!.GetValue<bool>() && v["wrong"]!.AsArray().Count == 0, v.ToJsonString()));
        }

        var recorded = JsonNode.Parse(File.ReadAllText(fixturePath))!["rows"]!.AsArray().Select(r => r!.AsArray()).ToList();
        Assert.Equal(rows.Count, recorded.Count);
        foreach (var (row, oracle) in rows.Zip(recorded))
        {
            Assert.Equal(oracle[0]!.GetValue<string>(), row.Id);
            var value = oracle[1]!.GetValue<string>();
            if (AnswerNormalizer.TryNormalizeSolution(value, int.MaxValue, out var solution, out _))
            {
                Assert.True(AnswerNormalizer.TryNormalizeSolution(row.Answer, int.MaxValue, out var ours, out _) && AnswerNormalizer.SameSolution(solution!, ours!), row.Id);
            }
            else
            {
                Assert.Equal(MathRewards.ParseGold(value), MathRewards.ParseGold(row.Answer));
            }

            Assert.True(oracle[2]!.GetValue<int>() > 0, $"{row.Id}: the oracle found no step to check");
            Assert.Equal(0, oracle[3]!.GetValue<int>());
        }

        Assert.Equal(ProblemFamilies.All.Select(f => f.Name).Order(), rows.Select(r => r.FamilyName).Distinct().Order());
    }

    [Fact]
    public void The_oracle_catches_a_wrong_step_and_a_wrong_answer_in_every_family()
    {
        if (!Oracles.Live)
        {
            return; // needs python3 and sympy: .ci/run sets REASONER_LIVE_ORACLES=1
        }

        var broken = ProblemFamilies.All.Select(family =>
        {
            var row = family.Generate(new GenerateConfig { Preset = family.PresetList[^1].Name, Count = 1, Seed = 8, Style = TraceStyle.Digit }, new DrawStats()).Single();
            int at = row.Completion.IndexOf(" = ", StringComparison.Ordinal) + 3;
            int end = at;
            while (char.IsAsciiDigit(row.Completion[end]) || row.Completion[end] == '-')
            {
                end++;
            }

            var stated = long.Parse(row.Completion[at..end].TrimStart('-'), System.Globalization.CultureInfo.InvariantCulture);
            return row with { Completion = row.Completion[..at] + (stated + 1) + row.Completion[end..], Answer = row.Answer };
        }).ToList();
        var wrongAnswer = broken[0] with { Answer = "123456789" };
        var output = Oracles.RunScript("python3", "family_oracle.py", [], Jsonl([.. broken, wrongAnswer]), "install python3-sympy; .ci/run does");
        var verdicts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.All(verdicts.Take(broken.Count), v => Assert.NotEmpty(v["wrong"]!.AsArray()));
        Assert.False(verdicts[^1]["answer_ok"]!.GetValue<bool>());
    }
}
