using System.Net.Http.Json;
using System.Text.Json;
using Helpline.WebConsole.SignIn;
using Microsoft.AspNetCore.Components.Authorization;

namespace Helpline.WebConsole.Api;

/// <summary>
/// The console's way to the service: the same GraphQL API partners use, called with the signed-in user's token. A
/// page therefore shows and does exactly what the API allows that token, and nothing the API would refuse.
/// </summary>
public sealed class ConsoleApi
{
    internal const string HttpClientName = "helpline-console-api";

    private readonly IHttpClientFactory _clients;
    private readonly ApiAddress _address;
    private readonly AuthenticationStateProvider? _authentication;

    /// <summary>Creates the client for one circuit or request.</summary>
    public ConsoleApi(IHttpClientFactory clients, ApiAddress address, AuthenticationStateProvider? authentication = null)
    {
        _clients = clients;
        _address = address;
        _authentication = authentication;
    }

    /// <summary>Runs one GraphQL operation as the signed-in user (or as the public when nobody is signed in).</summary>
    /// <param name="document">The operation.</param>
    /// <param name="variables">Its variables; null for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ApiResult> SendAsync(string document, object? variables = null, CancellationToken cancellationToken = default)
    {
        string? token = null;
        if (_authentication is not null)
        {
            var state = await _authentication.GetAuthenticationStateAsync();
            token = state.User.FindFirst(ConsoleClaims.Token)?.Value;
        }

        return await SendAsync(token, document, variables, cancellationToken);
    }

    /// <summary>Runs one GraphQL operation with <paramref name="token"/> (null: as the public).</summary>
    internal async Task<ApiResult> SendAsync(string? token, string document, object? variables, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address.BaseAddress, "graphql"))
        {
            Content = JsonContent.Create(new { query = document, variables }, options: ApiResult.Json),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        try
        {
            using var response = await _clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = json.RootElement;
            var errors = new List<ApiError>();
            if (root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in list.EnumerateArray())
                {
                    var code = error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var c) ? c.GetString() : null;
                    errors.Add(new ApiError(error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "", code));
                }
            }

            var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
            return new ApiResult(data, errors, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The outcome of a mutation is unknown here: say so, and that the same request may be sent again.
            return ApiResult.Failed("The service did not answer; whether it acted is unknown. Try again: a retried request never creates a second anything.", "UNAVAILABLE");
        }
    }
}
