// The problem-family seam: arithmetic's output is the bytes it was before families existed, every registered family
// generates rows that re-verify, and presets name their family and are owned by exactly one.
using Reasoner.Math.Data;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;
using Reasoner.Math.Tracing;
using Reasoner.Math.Verification;

namespace Reasoner.Math.Tests.Families;

public sealed class FamilySeamTests
{
    /// <summary>SHA-256 of datasets written by `reasoner generate` at bf5307a, the commit before the family seam.</summary>
    [Theory]
    [InlineData("level-1", 500, 7, TraceStyle.Node, false, Split.Train, "858b5d2054548c2c4cc13dae22961cac19708c5addd23f5926fe4b976beec347")]
    [InlineData("ladder", 2000, 11, TraceStyle.Digit, false, Split.Train, "8ab82dcdb0a5a819d827738e0be12febcc69cbb40f42064d47b08b43ba1c0e07")]
    [InlineData("mul-2x2", 300, 3, TraceStyle.Prose, false, Split.Train, "014adcbdee671a0c0c526c46b99ad2324d3e8986a168baf54129ebc7ede5281b")]
    [InlineData("add-2d", 400, 5, TraceStyle.Digit, true, Split.Train, "c12a86fa9d34c03a23480874b6af869d0ed80d906a2e459560707dcc6ff9925d")]
    [InlineData("level-4", 300, 9, TraceStyle.Digit, false, Split.Test, "c1ab505799366d07cb8300c7df129a89b2233b64da6c274e6ab8f98ea687b870")]
    public void Given_the_seed_when_generating_then_the_bytes_are_those_written_before_the_family_seam(string preset, int count, long seed, TraceStyle style, bool answerOnly, Split split, string sha256)
    {
        var path = Path.Combine(Path.GetTempPath(), $"seam-{Guid.NewGuid():N}.jsonl");
        try
        {
            DatasetGenerator.Run(new GenerateConfig { Preset = preset, Count = count, Seed = seed, Style = style, AnswerOnly = answerOnly, Split = split }, path);
            Assert.Equal(sha256, DatasetCard.Sha256Of(path));
        }
        finally
        {
            File.Delete(path);
            File.Delete(DatasetCard.PathFor(path));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Given_the_same_seed_twice_then_every_family_writes_the_same_bytes(string name)
    {
        var preset = ProblemFamilies.Named(name)!.PresetList[^1].Name;
        var paths = new[] { Path.GetTempFileName() + ".jsonl", Path.GetTempFileName() + ".jsonl" };
        try
        {
            foreach (var path in paths)
            {
                DatasetGenerator.Run(new GenerateConfig { Preset = preset, Count = 200, Seed = 17 }, path);
            }

            Assert.Equal(DatasetCard.Sha256Of(paths[0]), DatasetCard.Sha256Of(paths[1]));
        }
        finally
        {
            foreach (var path in paths)
            {
                File.Delete(path);
                File.Delete(DatasetCard.PathFor(path));
            }
        }
    }

    public static TheoryData<string> Families => [.. ProblemFamilies.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_family_has_presets_that_name_it_and_that_it_alone_owns(string name)
    {
        var family = ProblemFamilies.Named(name)!;
        Assert.NotEmpty(family.PresetList);
        foreach (var (preset, description) in family.PresetList)
        {
            Assert.False(string.IsNullOrWhiteSpace(description), preset);
            Assert.Same(family, ProblemFamilies.For(preset));
            Assert.All(family.Resolve(preset), spec => Assert.Equal(name, ((IFamilyPreset)spec).FamilyName));
            Assert.Single(ProblemFamilies.All, f => f.Owns(preset));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_family_generates_rows_that_reverify_from_their_text_alone(string name)
    {
        var family = ProblemFamilies.Named(name)!;
        var rewards = new MathRewards(VerifierOptions.Default);
        foreach (var (preset, _) in family.PresetList)
        {
            foreach (var answerOnly in new[] { false, true })
            {
                var rows = family.Generate(new GenerateConfig { Preset = preset, Count = 40, Seed = 5, AnswerOnly = answerOnly, Style = TraceStyle.Digit }, new DrawStats()).ToList();
                Assert.Equal(40, rows.Count);
                Assert.Equal(40, rows.Select(r => r.Id).Distinct().Count());
                Assert.All(rows, row => Assert.Null(ExampleVerifier.Verify(row, rewards)));
                Assert.All(rows, row => Assert.True(row.Expression.Length > 0 || row.Equation is not null, row.Id));
            }
        }
    }

    [Fact]
    public void A_preset_list_that_mixes_families_is_refused_with_the_fix()
    {
        var error = Assert.Throws<ArgumentException>(() => ProblemFamilies.For("level-1,eq-1"));
        Assert.Contains("mixes the families", error.Message, StringComparison.Ordinal);
        Assert.Contains("generate each family on its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preset_file_of_another_family_is_refused_by_arithmetic_by_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"eq-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "name": "mine", "family": "equations", "form": "ax=b" }""");
        try
        {
            Assert.Equal("equations", ProblemFamilies.For(path).Name);
            var error = Assert.Throws<ArgumentException>(() => PresetCatalog.Resolve(path));
            Assert.Contains("is a 'equations' preset", error.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => PresetCatalog.Parse(File.ReadAllText(path), path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
