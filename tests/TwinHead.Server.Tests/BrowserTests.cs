using Microsoft.Playwright;

namespace TwinHead.Server.Tests;

/// <summary>
/// The web page in headless Chromium (Debian's package, driven by Playwright, which downloads no browser): pick a photo,
/// read back its probabilities and decision, move a threshold slider, keep a screenshot in the test output.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class BrowserTests(ModelFiles models)
{
    public const string Chromium = "/usr/bin/chromium";

    [ChromiumFact]
    public async Task Page_classifies_a_picked_photo_and_sliders_redecide_it()
    {
        await using var service = await RunningService.StartAsync(new ServiceOptions { ModelPath = models.First, WatchModel = false });
        var photo = Path.Combine(models.Directory, $"receipt-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(photo, TestImages.Jpeg(seed: 3, width: 64, height: 64));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 760 } });
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") blocked.Add(message.Text);
        };
        await page.GotoAsync(service.BaseAddress.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");

        await page.SetInputFilesAsync("#file-input", photo);
        var card = page.Locator("article.result[data-state=done]");
        await card.WaitForAsync();
        Assert.Equal(Path.GetFileName(photo), await card.Locator(".name").TextContentAsync());
        var screen = double.Parse((await card.Locator(".bar .value").First.TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        var decision = await card.Locator(".decision").GetAttributeAsync("data-decision");
        Assert.InRange(screen, 0, 1);
        Assert.Contains(decision, new[] { "document", "not_document", "screen" });

        // At threshold 0 every photo is a screen; the page decides again without asking the service.
        await page.Locator("#screen-threshold").FillAsync("0");
        Assert.Equal("screen", await card.Locator(".decision").GetAttributeAsync("data-decision"));
        await page.Locator("#screen-threshold").FillAsync("1");
        Assert.NotEqual("screen", await card.Locator(".decision").GetAttributeAsync("data-decision"));

        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var shot = Path.Combine(screenshots, "web-page-after-upload.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 1000);
        // The policy blocks anything inline that is not the page's own hashed script and style; a violation logs an error.
        Assert.Empty(blocked);
    }
}

/// <summary>A test that needs Debian's chromium: skipped, saying why, only where it is not installed (CI installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(BrowserTests.Chromium)) Skip = $"{BrowserTests.Chromium} is absent; tools/install-test-packages.sh installs Debian's chromium";
    }
}
