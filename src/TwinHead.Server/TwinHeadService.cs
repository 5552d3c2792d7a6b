using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace TwinHead.Server;

/// <summary>
/// The TwinHead HTTP service: <c>POST /v1/classify</c>, <c>GET /v1/model</c>, <c>/healthz</c>, <c>/readyz</c>,
/// <c>/metrics</c>, <c>/openapi/v1.json</c> and the web page at <c>/</c>. <see cref="Build"/> makes a ready-to-run
/// application; <see cref="AddTwinHeadService"/> and <see cref="UseTwinHeadService"/> compose it into another host.
/// </summary>
public static class TwinHeadService
{
    private const string PageResource = "TwinHead.Server.Web.index.html";

    /// <summary>Builds the service listening on <paramref name="urls"/>; the model is loaded here, so a bad model fails now, naming the file.</summary>
    public static WebApplication Build(ServiceOptions options, IEnumerable<string> urls)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls([.. urls]);
        builder.Services.AddTwinHeadService(options);
        var app = builder.Build();
        app.UseTwinHeadService();
        app.Services.GetRequiredService<ModelHost>();
        return app;
    }

    /// <summary>Registers the service's parts: model host, admission gate, metrics, JSON naming, OpenAPI, Kestrel limits, drain at shutdown.</summary>
    public static IServiceCollection AddTwinHeadService(this IServiceCollection services, ServiceOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<ModelHost>();
        services.AddSingleton(provider =>
        {
            var gate = new AdmissionGate(options.MaxConcurrentRequests, options.MaxQueuedRequests);
            var metrics = provider.GetRequiredService<ServiceMetrics>();
            metrics.QueuedRequests = () => gate.Queued;
            metrics.ActiveRequests = () => gate.Active;
            return gate;
        });
        services.AddSingleton<ClassifyEndpoint>();
        services.AddSingleton<ServiceState>();
        services.AddHostedService(provider => provider.GetRequiredService<ServiceState>());
        services.AddRouting();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            // Without this the title would be the name of whichever program hosts the service.
            document.Info.Title = "TwinHead";
            document.Info.Version = typeof(TwinHeadService).Assembly.GetName().Version?.ToString(3) ?? "0";
            document.Info.Description = "Classifies photos: paper document, screen, or not a document.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DictionaryKeyPolicy = null;
        });
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownDrainTimeout);
        return services;
    }

    /// <summary>Adds the error answers, routing and the endpoints to the pipeline.</summary>
    public static IApplicationBuilder UseTwinHeadService(this IApplicationBuilder app)
    {
        app.UseMiddleware<ErrorResponses>();
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapTwinHeadEndpoints());
        return app;
    }

    /// <summary>Maps the endpoints (the pipeline needs <see cref="ErrorResponses"/> in front of them).</summary>
    public static IEndpointRouteBuilder MapTwinHeadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/classify", async (HttpContext context, ClassifyEndpoint classify, ServiceMetrics metrics) =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                var response = await classify.HandleAsync(context).ConfigureAwait(false);
                metrics.CountRequest(ClassifyEndpoint.MetricName, "ok");
                return Results.Ok(response);
            }
            finally
            {
                metrics.ObserveLatency(Stopwatch.GetElapsedTime(start));
            }
        })
            .WithName("Classify").WithTags("twinhead")
            .WithSummary("Classify one image (raw body) or several (multipart/form-data, one part per file).")
            .WithDescription("Query: screen_threshold, not_document_threshold (override the model's thresholds), name (the raw body's file name).")
            // The body is described for OpenAPI only: Accepts() would make routing refuse other content types with a bare 415
            // before the endpoint can say what is wrong.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                var content = new Dictionary<string, OpenApiMediaType>();
                foreach (var type in (string[])["image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "application/octet-stream"])
                    content[type] = new OpenApiMediaType { Schema = binary };
                content["multipart/form-data"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["files"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = binary } },
                    },
                };
                operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
                return Task.CompletedTask;
            })
            .Produces<ClassifyResponse>()
            .Produces<ErrorResponse>(400, "application/problem+json")
            .Produces<ErrorResponse>(408, "application/problem+json")
            .Produces<ErrorResponse>(413, "application/problem+json")
            .Produces<ErrorResponse>(415, "application/problem+json")
            .Produces<ErrorResponse>(422, "application/problem+json")
            .Produces<ErrorResponse>(503, "application/problem+json")
            .DisableAntiforgery();

        endpoints.MapGet("/v1/model", (ModelHost models, ServiceOptions options) => Describe(models.Current, options))
            .WithName("Model").WithTags("twinhead").WithSummary("The model in service: identity, metadata, input, thresholds, limits, batching.")
            .Produces<ModelResponse>();

        endpoints.MapGet("/healthz", (ModelHost models) => Results.Ok(new HealthResponse("ok", models.Current.Id)))
            .WithName("Health").WithTags("twinhead").WithSummary("Liveness: the process answers.").Produces<HealthResponse>();

        endpoints.MapGet("/readyz", (ModelHost models, ServiceState state) => state.Stopping
                ? Results.Json(new HealthResponse("stopping", models.Current.Id), statusCode: 503)
                : Results.Ok(new HealthResponse("ready", models.Current.Id)))
            .WithName("Ready").WithTags("twinhead").WithSummary("Readiness: a model is loaded and the service is not shutting down (503 otherwise).")
            .Produces<HealthResponse>().Produces<HealthResponse>(503);

        endpoints.MapGet("/metrics", (ServiceMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("Metrics").WithTags("twinhead").WithSummary("Prometheus text exposition.").Produces<string>(200, "text/plain");

        var page = LoadPage();
        endpoints.MapGet("/", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = page.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Results.Bytes(page.Html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

        endpoints.MapOpenApi();
        return endpoints;
    }

    private static ModelResponse Describe(LoadedModel model, ServiceOptions options)
    {
        var metadata = model.Classifier.Metadata;
        var spec = metadata.Preprocessing;
        var thresholds = model.Classifier.Thresholds;
        return new ModelResponse(model.Id, Path.GetFileName(model.Classifier.ModelPath), model.Sha256, model.LoadedAt,
            metadata.ToProperties(), new ThresholdValues(thresholds.Screen, thresholds.NotDocument),
            new InputDescription(spec.Width, spec.Height, spec.Resize.ToString().ToLowerInvariant(), spec.Mean, spec.Std),
            new LimitValues(options.MaxBodyBytes, options.MaxImageBytes, options.MaxPixels, options.MaxFilesPerRequest, options.RequestTimeout.TotalSeconds, options.RejectAnimated),
            new BatchingValues(options.MaxBatchSize, options.MaxBatchWait.TotalMilliseconds, options.MaxConcurrentRequests, options.MaxQueuedRequests));
    }

    /// <summary>The embedded page, and a Content-Security-Policy that allows exactly its inline script and style by hash.</summary>
    private static (byte[] Html, string ContentSecurityPolicy) LoadPage()
    {
        using var stream = typeof(TwinHeadService).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"embedded resource {PageResource} is missing from {typeof(TwinHeadService).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        var html = reader.ReadToEnd();
        var script = HashOfBlock(html, "<script>", "</script>");
        var style = HashOfBlock(html, "<style>", "</style>");
        var csp = $"default-src 'none'; script-src '{script}'; style-src '{style}'; img-src 'self' blob: data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        return (System.Text.Encoding.UTF8.GetBytes(html), csp);
    }

    private static string HashOfBlock(string html, string open, string close)
    {
        var start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var end = html.IndexOf(close, start, StringComparison.Ordinal);
        if (start < open.Length || end < 0) throw new InvalidOperationException($"the embedded page has no {open} block");
        return "sha256-" + Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(html[start..end])));
    }
}

/// <summary>Whether the service is shutting down; at that moment queued images run at once instead of waiting for company.</summary>
public sealed class ServiceState(IHostApplicationLifetime lifetime, ModelHost models) : IHostedService
{
    private volatile bool stopping;

    /// <summary>True once shutdown has begun: <c>/readyz</c> answers 503 so load balancers stop sending.</summary>
    public bool Stopping => stopping;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() =>
        {
            stopping = true;
            models.Flush();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
