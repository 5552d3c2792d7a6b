using Microsoft.Playwright;
using TwinHead.Training.Tests.Training;
using TwinHead.Training.Training;

namespace TwinHead.Training.Tests.Reports;

/// <summary>The run report opened in headless Chromium (Debian's package; Playwright downloads no browser): every image renders.</summary>
public class ReportBrowserTests : IClassFixture<TinyDatasetFixture>
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly TinyDataset data;

    public ReportBrowserTests(TinyDatasetFixture fixture) => data = fixture.Data;

    [ChromiumFact]
    public async Task Report_opens_in_chromium_with_no_broken_images()
    {
        var run = data.TrainRun("report-browser", epochs: 1, batchSize: 16);
        var html = TwinHead.Training.Reports.RunReport.Write(run.Path);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(html).AbsoluteUri);
        var images = await page.EvaluateAsync<int[]>("() => Array.from(document.images).map(i => i.complete ? i.naturalWidth : -1)");
        Assert.True(images.Length >= 14, $"only {images.Length} images in the report");
        Assert.All(images, width => Assert.True(width > 0, "a report image did not render"));
        Assert.Contains("3-way (macro)", await page.ContentAsync());
        var shot = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, "report.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 1000);
    }
}

/// <summary>A test that needs Debian's chromium: skipped, saying why, only where it is not installed (CI installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium)) Skip = $"{Chromium} is absent; tools/install-test-packages.sh installs Debian's chromium";
    }

    private const string Chromium = "/usr/bin/chromium";
}
