using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TwinHead.Server;

/// <summary>
/// Turns every failure into an <c>application/problem+json</c> answer: rejections keep their status and code, Kestrel's
/// own refusals (body too large, slow body, malformed framing) keep theirs, and anything unexpected is logged and
/// answered 500 without details. Also gives empty 404/405 answers a JSON body.
/// </summary>
public sealed class ErrorResponses(RequestDelegate next, ServiceMetrics metrics, ServiceOptions options, IOptions<JsonOptions> json, ILogger<ErrorResponses> logger)
{
    /// <summary>Runs the rest of the pipeline and answers its failures.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response is { StatusCode: >= 400, HasStarted: false, ContentLength: null, ContentType: null })
            {
                var status = context.Response.StatusCode;
                var code = status switch { 404 => "not_found", 405 => "method_not_allowed", _ => "http_" + status };
                var detail = status switch
                {
                    404 => $"no endpoint at {context.Request.Method} {context.Request.Path}; see /openapi/v1.json",
                    405 => $"{context.Request.Method} is not allowed on {context.Request.Path}",
                    _ => ReasonPhrases.GetReasonPhrase(status),
                };
                await WriteAsync(context, new RequestRejection(status, code, detail)).ConfigureAwait(false);
            }
        }
        catch (RequestRejection rejection)
        {
            await WriteAsync(context, rejection).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            var code = e.StatusCode switch { 413 => "body_too_large", 408 => "body_timeout", _ => "bad_request" };
            await WriteAsync(context, new RequestRejection(e.StatusCode, code, e.Message)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left; nobody reads an answer.
            metrics.CountRequest(EndpointName(context), "client_closed");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unexpected failure on {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, new RequestRejection(500, "internal_error", "the service failed unexpectedly; the failure is logged")).ConfigureAwait(false);
        }
    }

    /// <summary>The metrics name of the endpoint a request went to.</summary>
    public static string EndpointName(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1/classify") ? ClassifyEndpoint.MetricName : "other";

    private async Task WriteAsync(HttpContext context, RequestRejection rejection)
    {
        metrics.CountRequest(EndpointName(context), rejection.Code);
        if (context.Response.HasStarted) return;
        context.Response.Clear();
        context.Response.StatusCode = rejection.Status;
        if (rejection.Status == 503) context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A refused body may still be arriving; closing the connection spares reading it.
        if (rejection.Status is 413 or 408) context.Response.Headers.Connection = "close";
        var body = new ErrorResponse($"urn:twinhead:error:{rejection.Code}", ReasonPhrases.GetReasonPhrase(rejection.Status), rejection.Status,
            rejection.Message, rejection.Code, rejection.File);
        await context.Response.WriteAsJsonAsync(body, json.Value.SerializerOptions, "application/problem+json", context.RequestAborted).ConfigureAwait(false);
    }
}
