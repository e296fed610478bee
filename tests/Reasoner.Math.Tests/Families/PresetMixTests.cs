// Weighted preset lists: "a:3,b:1" draws 3 to 1, spread out; without weights the cycle is the list itself, so an
// unweighted list draws what it drew before weights existed (FamilySeamTests pins those bytes).
using Reasoner.Math.Data;
using Reasoner.Math.Equations;
using Reasoner.Math.Families;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests.Families;

public sealed class PresetMixTests
{
    [Fact]
    public void Given_no_weights_when_laying_out_the_cycle_then_it_is_the_list_in_order()
    {
        Assert.Equal([0, 1, 2, 3], PresetMix.Cycle([1, 1, 1, 1]));
        Assert.Equal(["add-2d", "sub-2d", "mul-2x2"], PresetCatalog.Resolve("add-2d, sub-2d,mul-2x2").Select(s => s.Name));
    }

    [Fact]
    public void Given_weights_when_laying_out_the_cycle_then_each_preset_holds_its_share_spread_out()
    {
        Assert.Equal([0, 0, 1, 0], PresetMix.Cycle([3, 1]));
        Assert.Equal([2, 0, 1, 2, 3, 0, 1, 2, 0, 1, 2], PresetMix.Cycle([3, 3, 4, 1]));
        Assert.Equal(["add-2d", "add-2d", "sub-2d", "add-2d"], PresetCatalog.Resolve("add-2d:3,sub-2d:1").Select(s => s.Name));
        Assert.Equal(["eq-1", "eq-2", "eq-1"], EquationSpec.Presets.Resolve("eq-1:2,eq-2").Select(s => s.Name));
    }

    [Fact]
    public void Given_a_weighted_list_when_generating_then_the_rows_follow_the_weights()
    {
        var rows = ProblemFamilies.For("add-2d:3,sub-upto-2d").Generate(new GenerateConfig { Preset = "add-2d:3,sub-upto-2d", Count = 400, Seed = 3 }, new DrawStats()).ToList();
        Assert.Equal(300, rows.Count(r => r.Difficulty == "add-2d"));
        Assert.Equal(100, rows.Count(r => r.Difficulty == "sub-upto-2d"));
    }

    [Theory]
    [InlineData("add-2d:0", "add-2d:0")]
    [InlineData("add-2d:1.5", "add-2d:1.5")]
    [InlineData("add-2d:-2", "add-2d:-2")]
    [InlineData("add-2d:5000", "add-2d:5000")]
    public void Given_a_weight_that_is_not_a_whole_number_from_1_when_resolving_then_it_is_refused_by_name(string names, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => PresetCatalog.Resolve(names));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("whole number from 1 to 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_colon_that_is_not_a_weight_when_parsing_then_it_stays_part_of_the_name()
    {
        Assert.Equal([("C:\\presets\\mine.json", 1), ("add-2d", 2)], PresetMix.Parse(@"C:\presets\mine.json, add-2d:2"));
        var error = Assert.Throws<ArgumentException>(() => PresetCatalog.Resolve("add-2d:x"));
        Assert.Contains("unknown preset 'add-2d:x'", error.Message, StringComparison.Ordinal);
    }
}
