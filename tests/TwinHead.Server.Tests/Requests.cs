using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TwinHead.Server.Tests;

/// <summary>Request helpers and the service's JSON read back.</summary>
internal static class Requests
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task<HttpResponseMessage> PostImage(HttpClient client, byte[] bytes, string? contentType = "image/jpeg", string query = "")
    {
        var content = new ByteArrayContent(bytes);
        // Without validation, so that malformed types reach the service as a hostile client would send them.
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync("/v1/classify" + query, content);
    }

    public static Task<HttpResponseMessage> PostFiles(HttpClient client, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "files", name);
        }
        return client.PostAsync("/v1/classify", form);
    }

    public static async Task<ClassifyResponse> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"expected success, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<ClassifyResponse>(text, Json)!;
    }

    public static async Task<ErrorResponse> Error(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonSerializer.Deserialize<ErrorResponse>(text, Json)!;
        Assert.Equal(status, error.Status);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
        return error;
    }

    public static Task<T?> Get<T>(HttpClient client, string path) => client.GetFromJsonAsync<T>(path, Json);
}
