using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL.Http;

/// <summary>
/// Persisted documents on the transport (the GraphQL-over-HTTP persisted documents convention): a request may carry
/// <c>documentId</c> (<c>sha256:&lt;hex&gt;</c>, in the POST body or the GET query string, or Apollo's
/// <c>extensions.persistedQuery.sha256Hash</c>) instead of <c>query</c>; the document registered under that id for the
/// caller's subject runs. A subject set to persisted documents only may send nothing else. The documents themselves
/// are kept by the Access module (<see cref="IPersistedDocuments"/>).
/// </summary>
internal static class GraphQLPersistedDocuments
{
    /// <summary>The request with its document's text, or the 400 to answer with.</summary>
    public static async Task<GraphQLHttpReadResult> ResolveAsync(HttpContext http, GraphQLHttpRequest request, Caller caller)
    {
        var documents = http.RequestServices.GetService<IPersistedDocuments>();
        if (request.DocumentId is not { } id)
        {
            return documents?.RequiresPersistedDocuments(caller) == true
                ? new GraphQLHttpRequestError(StatusCodes.Status400BadRequest, AccessErrorCodes.PersistedDocumentsOnly,
                    "This subject may send persisted documents only: send 'documentId' (sha256:<hex of the document>) of a registered document instead of 'query'.")
                : request;
        }

        var text = documents is null ? null : await documents.FindAsync(caller, id, http.RequestAborted);
        if (text is null)
        {
            return new GraphQLHttpRequestError(StatusCodes.Status400BadRequest, AccessErrorCodes.PersistedDocumentNotFound,
                $"No document '{id}' is registered for this caller; register it with persistDocuments (or send 'query').");
        }
        if (request.Query.Length > 0 && !string.Equals(request.Query, text, StringComparison.Ordinal))
            return GraphQLHttpRequestError.BadRequest("'query' and 'documentId' name different documents; send one of them.");
        return request with { Query = text };
    }
}
