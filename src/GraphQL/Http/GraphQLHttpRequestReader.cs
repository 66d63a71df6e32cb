using System.Buffers;
using System.Text.Unicode;
using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.AspNetCore.Http;

namespace Helpline.GraphQL.Http;

/// <summary>The parameters of a well-formed GraphQL-over-HTTP request.</summary>
/// <remarks>With <see cref="DocumentId"/> (a persisted document), <see cref="Query"/> may be empty until the document is looked up.</remarks>
internal sealed record GraphQLHttpRequest(string Query, string? OperationName, Inputs? Variables, Inputs? Extensions, string? DocumentId = null);

/// <summary>
/// Reads a GraphQL-over-HTTP request from a POST body (<c>application/json</c>, utf-8) or a GET query string, and
/// refuses ones that are not well formed. Either <see cref="Request"/> or <see cref="Error"/> is set.
/// </summary>
internal readonly record struct GraphQLHttpReadResult(GraphQLHttpRequest? Request, GraphQLHttpRequestError? Error)
{
    public static implicit operator GraphQLHttpReadResult(GraphQLHttpRequest request) => new(request, null);
    public static implicit operator GraphQLHttpReadResult(GraphQLHttpRequestError error) => new(null, error);
}

/// <inheritdoc cref="GraphQLHttpReadResult"/>
internal static class GraphQLHttpRequestReader
{
    private const string QueryKey = "query";
    private const string OperationNameKey = "operationName";
    private const string VariablesKey = "variables";
    private const string ExtensionsKey = "extensions";
    private const string DocumentIdKey = "documentId";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static async Task<GraphQLHttpReadResult> ReadPostAsync(HttpRequest request, long maxBodyBytes, GraphQLSerializer serializer, CancellationToken cancellationToken)
    {
        if (GraphQLMediaTypes.CheckRequestContentType(request.ContentType) is { } unsupported)
            return new GraphQLHttpRequestError(StatusCodes.Status415UnsupportedMediaType, GraphQLHttpErrorCodes.UnsupportedMediaType, unsupported);

        if (request.ContentLength > maxBodyBytes)
            return TooLarge(maxBodyBytes);

        byte[] body;
        try
        {
            var read = await ReadBodyAsync(request.Body, maxBodyBytes, cancellationToken);
            if (read is null)
                return TooLarge(maxBodyBytes);
            body = read;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBodyBytes);
        }

        var json = body.AsMemory();
        if (json.Span.StartsWith("\uFEFF"u8))
            json = json[3..];
        if (!Utf8.IsValid(json.Span))
            return GraphQLHttpRequestError.BadRequest("The request body is not valid UTF-8.");
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
            return GraphQLHttpRequestError.BadRequest("The request body is empty; send a JSON object such as {\"query\": \"{ __typename }\"}.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return GraphQLHttpRequestError.BadRequest($"The request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            return ReadRequest(document.RootElement, serializer);
        }
    }

    /// <summary>
    /// A GraphQL request from its JSON object form (<c>{query, operationName, variables, extensions}</c>): an HTTP POST
    /// body, or the payload of a WebSocket <c>subscribe</c> message.
    /// </summary>
    public static GraphQLHttpReadResult ReadRequest(JsonElement root, GraphQLSerializer serializer)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return GraphQLHttpRequestError.BadRequest($"The request body must be a JSON object, not {Describe(root.ValueKind)}.");

        JsonElement? query = null, operationName = null, variables = null, extensions = null, documentId = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case QueryKey: query = property.Value; break;
                case OperationNameKey: operationName = property.Value; break;
                case VariablesKey: variables = property.Value; break;
                case ExtensionsKey: extensions = property.Value; break;
                case DocumentIdKey: documentId = property.Value; break;
                default: break; // the spec says to ignore properties we do not understand
            }
        }

        string? id = null;
        if (documentId is { ValueKind: not JsonValueKind.Null } d)
        {
            if (d.ValueKind != JsonValueKind.String)
                return GraphQLHttpRequestError.BadRequest($"The 'documentId' parameter must be a string, not {Describe(d.ValueKind)}.");
            id = d.GetString();
        }

        var extensionsResult = ReadMap(extensions, ExtensionsKey, serializer);
        if (extensionsResult.Error is not null)
            return extensionsResult.Error;
        var documentRead = DocumentId(id, extensionsResult.Inputs);
        if (documentRead.Error is not null)
            return documentRead.Error;

        (string? Text, GraphQLHttpRequestError? Error) queryText = ("", null);
        if (query is { ValueKind: not JsonValueKind.Null } q)
        {
            if (q.ValueKind != JsonValueKind.String)
                return GraphQLHttpRequestError.BadRequest($"The 'query' parameter must be a string, not {Describe(q.ValueKind)}.");
            queryText = ReadText(q, QueryKey);
            if (queryText.Error is not null)
                return queryText.Error;
        }
        else if (documentRead.Id is null)
        {
            return GraphQLHttpRequestError.BadRequest("The 'query' parameter is missing; it must be a string holding a GraphQL document (or send 'documentId' of a persisted document).");
        }
        string? name = null;
        if (operationName is { ValueKind: not JsonValueKind.Null } op)
        {
            if (op.ValueKind != JsonValueKind.String)
                return GraphQLHttpRequestError.BadRequest($"The 'operationName' parameter must be a string, not {Describe(op.ValueKind)}.");
            var read = ReadText(op, OperationNameKey);
            if (read.Error is not null)
                return read.Error;
            name = read.Text;
        }

        var variablesResult = ReadMap(variables, VariablesKey, serializer);
        if (variablesResult.Error is not null)
            return variablesResult.Error;

        return new GraphQLHttpRequest(queryText.Text!, string.IsNullOrEmpty(name) ? null : name, variablesResult.Inputs, extensionsResult.Inputs, documentRead.Id);
    }

    public static GraphQLHttpReadResult ReadGet(IQueryCollection parameters, GraphQLSerializer serializer)
    {
        foreach (var key in (ReadOnlySpan<string>)[QueryKey, OperationNameKey, VariablesKey, ExtensionsKey, DocumentIdKey])
        {
            if (parameters.TryGetValue(key, out var values) && values.Count > 1)
                return GraphQLHttpRequestError.BadRequest($"The '{key}' parameter is given more than once.");
        }

        var query = Single(parameters, QueryKey);
        var extensionsRead = ParseJsonParameter(Single(parameters, ExtensionsKey), ExtensionsKey, serializer);
        if (extensionsRead.Error is not null)
            return extensionsRead.Error;
        var documentRead = DocumentId(Single(parameters, DocumentIdKey), extensionsRead.Inputs);
        if (documentRead.Error is not null)
            return documentRead.Error;
        if (string.IsNullOrEmpty(query) && documentRead.Id is null)
            return GraphQLHttpRequestError.BadRequest("The 'query' parameter is missing; pass the GraphQL document in the 'query' URL parameter (or 'documentId' of a persisted document).");

        var variables = ParseJsonParameter(Single(parameters, VariablesKey), VariablesKey, serializer);
        if (variables.Error is not null)
            return variables.Error;

        var operationName = Single(parameters, OperationNameKey);
        return new GraphQLHttpRequest(query ?? "", string.IsNullOrEmpty(operationName) ? null : operationName, variables.Inputs, extensionsRead.Inputs, documentRead.Id);
    }

    /// <summary>
    /// The persisted document's id: <c>documentId</c> (<c>sha256:</c> and 64 hex digits), else Apollo's
    /// <c>extensions.persistedQuery.sha256Hash</c> (the hex alone); null when neither is given.
    /// </summary>
    private static (string? Id, GraphQLHttpRequestError? Error) DocumentId(string? documentId, Inputs? extensions)
    {
        if (documentId is null
            && extensions?.TryGetValue("persistedQuery", out var persisted) == true
            && persisted is IReadOnlyDictionary<string, object?> apollo
            && apollo.TryGetValue("sha256Hash", out var hash))
        {
            if (hash is not string hex)
                return (null, GraphQLHttpRequestError.BadRequest("'extensions.persistedQuery.sha256Hash' must be a string of 64 hex digits."));
            documentId = "sha256:" + hex;
        }
        if (documentId is null)
            return (null, null);
        if (documentId.Length != 71 || !documentId.StartsWith("sha256:", StringComparison.Ordinal) || !documentId[7..].All(Uri.IsHexDigit))
            return (null, GraphQLHttpRequestError.BadRequest("'documentId' must be 'sha256:' followed by the 64 hex digits of the SHA-256 of the document's UTF-8 text."));
        return (documentId.ToLowerInvariant(), null);
    }

    /// <summary>
    /// A JSON string's text, or a 400 when it escapes a lone UTF-16 surrogate (<c>"\ud800"</c>): such text is not
    /// Unicode, System.Text.Json refuses to produce it, and nothing after the transport should ever see it.
    /// </summary>
    private static (string? Text, GraphQLHttpRequestError? Error) ReadText(JsonElement element, string name)
    {
        try
        {
            return (element.GetString(), null);
        }
        catch (InvalidOperationException)
        {
            return (null, GraphQLHttpRequestError.BadRequest($"The '{name}' parameter is not valid Unicode text (it holds a lone UTF-16 surrogate)."));
        }
    }

    private static string? Single(IQueryCollection parameters, string key)
        => parameters.TryGetValue(key, out var values) ? values.ToString() : null;

    private static (Inputs? Inputs, GraphQLHttpRequestError? Error) ParseJsonParameter(string? value, string name, GraphQLSerializer serializer)
    {
        if (string.IsNullOrEmpty(value))
            return (null, null);
        try
        {
            using var document = JsonDocument.Parse(value, DocumentOptions);
            return ReadMap(document.RootElement, name, serializer);
        }
        catch (JsonException ex)
        {
            return (null, GraphQLHttpRequestError.BadRequest($"The '{name}' parameter must be a JSON object: {ex.Message}"));
        }
    }

    private static (Inputs? Inputs, GraphQLHttpRequestError? Error) ReadMap(JsonElement? element, string name, GraphQLSerializer serializer)
    {
        if (element is not { ValueKind: not JsonValueKind.Null } value)
            return (null, null);
        if (value.ValueKind != JsonValueKind.Object)
            return (null, GraphQLHttpRequestError.BadRequest($"The '{name}' parameter must be a JSON object, not {Describe(value.ValueKind)}."));
        try
        {
            return (serializer.ReadNode<Inputs>(value), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            // System.Text.Json's message about text that is not Unicode names its own types; name the value instead.
            return FindLoneSurrogate(value, name) is { } path
                ? (null, GraphQLHttpRequestError.BadRequest($"'{path}' is not valid Unicode text (it holds a lone UTF-16 surrogate)."))
                : (null, GraphQLHttpRequestError.BadRequest($"The '{name}' parameter could not be read: {ex.Message}"));
        }
    }

    /// <summary>The path (<c>variables.input.name</c>) of the first name or string under <paramref name="element"/> that is not Unicode text, or null.</summary>
    private static string? FindLoneSurrogate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string key;
                    try
                    {
                        key = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path;
                    }
                    if (FindLoneSurrogate(property.Value, path + "." + key) is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindLoneSurrogate(item, $"{path}[{index++}]") is { } found)
                        return found;
                }
                return null;
            case JsonValueKind.String:
                return ReadText(element, path).Error is null ? null : path;
            default:
                return null;
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private static GraphQLHttpRequestError TooLarge(long maxBytes)
        => new(StatusCodes.Status413PayloadTooLarge, GraphQLHttpErrorCodes.PayloadTooLarge,
            $"The request body is larger than the limit of {maxBytes} bytes.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
