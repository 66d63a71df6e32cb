using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helpline.WebConsole.Api;

/// <summary>One error of a GraphQL response: the message and the service's error code (<c>extensions.code</c>).</summary>
public sealed record ApiError(string Message, string? Code);

/// <summary>
/// The answer of the service's GraphQL API to one request of the console: its data, or its errors as the API wrote
/// them (pages show the API's own messages, which name the field and the rule).
/// </summary>
public sealed class ApiResult
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    internal ApiResult(JsonElement data, IReadOnlyList<ApiError> errors, int status)
    {
        Data = data;
        Errors = errors;
        Status = status;
    }

    /// <summary>The <c>data</c> member; <see cref="JsonValueKind.Undefined"/> when the response had none.</summary>
    public JsonElement Data { get; }

    /// <summary>The errors, empty when there were none.</summary>
    public IReadOnlyList<ApiError> Errors { get; }

    /// <summary>The HTTP status of the response (0 when the service could not be reached).</summary>
    public int Status { get; }

    /// <summary>True when there are no errors.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>The token was refused (expired, revoked): the page says to sign in again.</summary>
    public bool NeedsSignIn => Status == 401;

    /// <summary>The errors' messages on one line, for an alert; a message several fields of one request share, once.</summary>
    public string ErrorText => string.Join(" ", Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal));

    /// <summary>The first error's code, or null.</summary>
    public string? ErrorCode => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>The value at <paramref name="field"/> of <c>data</c> (a root field's name), read as <typeparamref name="T"/>; default when absent or null.</summary>
    public T? Get<T>(string field) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.Deserialize<T>(Json)
            : default;

    internal static ApiResult Failed(string message, string code, int status = 0) => new(default, [new ApiError(message, code)], status);
}
