using Microsoft.Playwright;
using Reasoner.Math.Tests;

namespace Reasoner.Serving.Tests;

/// <summary>
/// The playground in a real browser: Debian's chromium driven by Playwright (its own browser download is not
/// reachable here, so ExecutablePath points at the system's), against a real `reasoner serve`. It solves a problem,
/// sees the streamed text with each claim marked right or wrong, and the final verdict; the screenshot is kept under
/// artifacts/test/. Without chromium the test is skipped, unless REASONER_LIVE_ORACLES=1 (.ci/run), where it fails.
/// </summary>
public sealed class PlaygroundBrowserTests
{
    private static string? Chromium() =>
        new[] { Environment.GetEnvironmentVariable("REASONER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task The_playground_streams_a_solution_marks_every_claim_and_compares_two_models()
    {
        var chromium = Chromium();
        Assert.False(chromium is null && Oracles.Live, "chromium is missing: apt-get install chromium (.ci/run installs it)");
        Skip.If(chromium is null, "no chromium on this machine: apt-get install chromium to run the browser test (.ci/run does)");

        using var server = ServeProcess.Start("--model", $"taught={TestModels.TaughtPath}", "--model", $"noise={TestModels.NoisePath}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.Address + "/");
        await page.WaitForSelectorAsync("#pane-0 .model option[value=taught]", new() { State = WaitForSelectorState.Attached });
        await page.FillAsync("#question", "12 + 7");
        await page.ClickAsync("#solve");
        await Settled(page, "#pane-0 .status .verdict", errors);
        var output = await page.TextContentAsync("#pane-0 .output") ?? string.Empty;
        Assert.Equal(TestModels.Taught[1].Completion, output.Replace(" ✓", string.Empty, StringComparison.Ordinal).Replace(" ✗", string.Empty, StringComparison.Ordinal));
        Assert.Equal(3, await page.Locator("#pane-0 .claim.ok").CountAsync());
        Assert.Equal(0, await page.Locator("#pane-0 .claim.bad").CountAsync());
        Assert.Contains("answer 19: correct", await page.TextContentAsync("#pane-0 .status"), StringComparison.Ordinal);
        Assert.Contains("steps 3/3 right", await page.TextContentAsync("#pane-0 .status"), StringComparison.Ordinal);
        Assert.Contains("tokens/s", await page.TextContentAsync("#pane-0 .status"), StringComparison.Ordinal);

        // Two models side by side on a problem the taught model gets wrong on purpose (5+5=11).
        await page.CheckAsync("#compare");
        await page.SelectOptionAsync("#pane-1 .model", "noise");
        await page.FillAsync("#max-tokens", "40");
        await page.FillAsync("#question", "5 + 5");
        await page.ClickAsync("#solve");
        await Settled(page, "#pane-0 .status .verdict", errors);
        await Settled(page, "#pane-1 .status .verdict", errors);
        Assert.Equal(1, await page.Locator("#pane-0 .claim.bad").CountAsync());
        Assert.Contains("wrong, expected 10", await page.TextContentAsync("#pane-0 .status"), StringComparison.Ordinal);
        Assert.Contains("finish: length", await page.TextContentAsync("#pane-1 .status"), StringComparison.Ordinal);

        var artifacts = Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "test")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "playground.png"), FullPage = true });
        Assert.Empty(errors);
    }

    /// <summary>Waits for the selector; on a timeout, fails with what the page showed and logged.</summary>
    private static async Task Settled(IPage page, string selector, List<string> errors)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"'{selector}' never appeared; page error line: '{await page.TextContentAsync("#error")}'; console: {string.Join(" | ", errors)}; status: '{await page.TextContentAsync("#pane-0 .status")}'");
        }
    }
}
