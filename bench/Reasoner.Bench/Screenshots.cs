// Screenshots of a running `reasoner serve` for the docs: the playground solving a problem with two models side by
// side, and the runs page. Debian's chromium through Playwright, as in the browser test.
// Run: dotnet run -c Release --project bench/Reasoner.Bench -- screenshots URL OUT_DIR QUERY [RUN_NAME]
using Microsoft.Playwright;

namespace Reasoner.Bench;

internal static class Screenshots
{
    public static async Task<int> Run(string url, string outDir, string query, string? run)
    {
        Directory.CreateDirectory(outDir);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.GotoAsync($"{url}/?{query}");
        await page.WaitForSelectorAsync("#pane-0 .status .verdict", new() { Timeout = 120_000 });
        if (await page.IsVisibleAsync("#pane-1"))
        {
            await page.WaitForSelectorAsync("#pane-1 .status .verdict", new() { Timeout = 120_000 });
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "playground.png"), FullPage = true });
        Console.WriteLine($"wrote {Path.Combine(outDir, "playground.png")}");
        if (run is not null)
        {
            await page.GotoAsync($"{url}/runs");
            await page.ClickAsync($"#runs tr:has-text('{run}')");
            await page.WaitForSelectorAsync("#plots img");
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new() { Path = Path.Combine(outDir, "runs.png"), FullPage = false });
            Console.WriteLine($"wrote {Path.Combine(outDir, "runs.png")}");
        }

        return 0;
    }
}
