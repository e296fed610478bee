using Reasoner.Math.Data;
using Reasoner.Math.Problems;

namespace Reasoner.Math.Tests;

/// <summary>The claim the product rests on: generated data is never wrong. scripts/property-million.sh runs 1,000,000.</summary>
public sealed class PropertyTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Every_answer_and_every_step_of_100k_generated_items_across_all_presets_re_verifies()
    {
        var report = SelfCheck.Run(totalItems: 100_000, seed: 2026);
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures.Take(10)));
        Assert.True(report.Verified >= 100_000, $"only {report.Verified} items verified");
        Assert.Equal(PresetCatalog.All.Count, report.PresetsCovered);
        Assert.True(report.StepsChecked > 500_000, $"only {report.StepsChecked} steps checked");
    }
}
