using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace TwinHead.Server.Tests;

/// <summary>The real service (Kestrel) on a free loopback port, for what an in-memory server cannot show: a browser, a shutdown.</summary>
public sealed class RunningService : IAsyncDisposable
{
    private RunningService(WebApplication app)
    {
        App = app;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public ModelHost Models => App.Services.GetRequiredService<ModelHost>();

    public static async Task<RunningService> StartAsync(ServiceOptions options)
    {
        var app = TwinHeadService.Build(options, ["http://127.0.0.1:0"]);
        await app.StartAsync();
        return new RunningService(app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
