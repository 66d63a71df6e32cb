using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Helpline.GraphQL.Http;

/// <summary>Media types of the GraphQL-over-HTTP spec and the content negotiation of the endpoint.</summary>
internal static class GraphQLMediaTypes
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public const string GraphQLResponseJsonUtf8 = GraphQLResponseJson + "; charset=utf-8";
    public const string JsonUtf8 = Json + "; charset=utf-8";

    /// <summary>
    /// Picks the response media type from the <c>Accept</c> header values: the acceptable one with the highest quality;
    /// on a tie a type named explicitly beats one matched by a wildcard, and <c>application/graphql-response+json</c> beats
    /// <c>application/json</c>. A missing, empty or unparseable header, or one matched only by wildcards, gives the default
    /// (<c>application/graphql-response+json</c>, or <c>application/json</c> when <paramref name="preferJsonForWildcards"/>).
    /// Returns null when neither type is acceptable (the caller answers 406).
    /// </summary>
    public static string? Negotiate(StringValues accept, bool preferJsonForWildcards)
    {
        var fallback = preferJsonForWildcards ? Json : GraphQLResponseJson;
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace))
            return fallback;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
            return fallback;

        var graphql = Match(ranges, "application", "graphql-response+json");
        var json = Match(ranges, "application", "json");

        if (graphql.Quality <= 0 && json.Quality <= 0)
            return null;
        if (graphql.Quality != json.Quality)
            return graphql.Quality > json.Quality ? GraphQLResponseJson : Json;
        if (graphql.Explicit != json.Explicit)
            return graphql.Explicit ? GraphQLResponseJson : Json;
        return graphql.Explicit ? GraphQLResponseJson : fallback;
    }

    /// <summary>
    /// Whether the <c>Accept</c> header is a browser's: <c>text/html</c> named explicitly, with a quality above zero and at
    /// least that of either JSON type (and above a JSON type the header names explicitly). A browser navigating sends
    /// <c>text/html,...,*/*;q=0.8</c>; GraphQL clients name a JSON type or nothing.
    /// </summary>
    public static bool PrefersHtml(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
            return false;
        var html = Match(ranges, "text", "html");
        if (!html.Explicit || html.Quality <= 0)
            return false;
        return Beats(html.Quality, Match(ranges, "application", "graphql-response+json"))
            && Beats(html.Quality, Match(ranges, "application", "json"));

        static bool Beats(double quality, (double Quality, bool Explicit) other) =>
            other.Explicit ? quality > other.Quality : quality >= other.Quality;
    }

    /// <summary>
    /// The quality the ranges give to one media type: that of the most specific matching range (RFC 9110 §12.5.1),
    /// zero when none matches.
    /// </summary>
    private static (double Quality, bool Explicit) Match(IList<MediaTypeHeaderValue> ranges, string type, string subtype)
    {
        var bestSpecificity = -1;
        var quality = 0.0;
        foreach (var range in ranges)
        {
            var rangeType = range.Type.Value ?? string.Empty;
            var rangeSubtype = range.SubType.Value ?? string.Empty;
            int specificity;
            if (rangeType == "*" && rangeSubtype == "*")
                specificity = 0;
            else if (string.Equals(rangeType, type, StringComparison.OrdinalIgnoreCase) && rangeSubtype == "*")
                specificity = 1;
            else if (string.Equals(rangeType, type, StringComparison.OrdinalIgnoreCase)
                && string.Equals(rangeSubtype, subtype, StringComparison.OrdinalIgnoreCase))
                specificity = 2;
            else
                continue;

            var rangeQuality = range.Quality ?? 1.0;
            if (specificity > bestSpecificity || (specificity == bestSpecificity && rangeQuality > quality))
            {
                bestSpecificity = specificity;
                quality = rangeQuality;
            }
        }
        return (quality, bestSpecificity == 2);
    }

    /// <summary>
    /// Checks the <c>Content-Type</c> of a POST: <c>application/json</c> (any case) with no charset or a utf-8 charset.
    /// Returns null when it is accepted, otherwise the reason for a 415.
    /// </summary>
    public static string? CheckRequestContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
            return "A POST request needs a Content-Type header; send the request as 'application/json'.";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase))
            return $"Content-Type '{contentType}' is not supported; send the request as 'application/json'.";
        var charset = mediaType.Charset;
        if (charset.HasValue && !IsUtf8(charset.Value))
            return $"Charset '{charset.Value}' is not supported; encode the request body as utf-8.";
        return null;
    }

    private static bool IsUtf8(string? charset)
    {
        var value = charset?.Trim().Trim('"');
        return string.Equals(value, "utf-8", StringComparison.OrdinalIgnoreCase)
            || string.Equals(value, "utf8", StringComparison.OrdinalIgnoreCase);
    }
}
