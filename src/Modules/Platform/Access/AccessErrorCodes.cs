using Helpline.Platform.Errors;

namespace Helpline.Platform.Access;

/// <summary>
/// The codes of refusals for who the caller is or what they may reach. Every module raises them, and the transport
/// answers the token codes with HTTP 401 and <see cref="Forbidden"/> with 403 when nothing ran.
/// </summary>
public static class AccessErrorCodes
{
    /// <summary>The operation needs a token and none was sent.</summary>
    public const string AuthenticationRequired = "AUTHENTICATION_REQUIRED";
    /// <summary>The Authorization header or the token in it is not a well-formed bearer JWT.</summary>
    public const string TokenMalformed = "TOKEN_MALFORMED";
    /// <summary>The token's lifetime is over (or has not begun).</summary>
    public const string TokenExpired = "TOKEN_EXPIRED";
    /// <summary>The token names a signing key this service does not trust.</summary>
    public const string TokenUnknownKey = "TOKEN_UNKNOWN_KEY";
    /// <summary>The token's signature does not verify, or its issuer or audience is not this service's.</summary>
    public const string TokenInvalid = "TOKEN_INVALID";
    /// <summary>The token was revoked after it was issued (its subject's tokens issued before an instant are refused).</summary>
    public const string TokenRevoked = "TOKEN_REVOKED";
    /// <summary>The caller's role may not use this field.</summary>
    public const string Forbidden = ErrorCodes.Forbidden;
    /// <summary>An argument names a department or jurisdiction outside the caller's scope.</summary>
    public const string OutOfScope = "OUT_OF_SCOPE";
    /// <summary>An argument names someone other than the caller as the one acting.</summary>
    public const string NotYourself = "NOT_YOURSELF";
    /// <summary>Personal data was read but the access log could not record it; nothing is shown; retry.</summary>
    public const string AccessLogUnavailable = "ACCESS_LOG_UNAVAILABLE";
    /// <summary>A request names a persisted document (documentId) that is not registered for the caller (HTTP 400).</summary>
    public const string PersistedDocumentNotFound = "PERSISTED_DOCUMENT_NOT_FOUND";
    /// <summary>The caller's subject may send persisted documents only, and sent a document's text (HTTP 400).</summary>
    public const string PersistedDocumentsOnly = "PERSISTED_DOCUMENTS_ONLY";
    /// <summary>A subject would hold more persisted documents than it may.</summary>
    public const string PersistedDocumentLimit = "PERSISTED_DOCUMENT_LIMIT";

    /// <summary>The codes with their descriptions (the generic <see cref="Forbidden"/> is listed by the platform).</summary>
    public static IReadOnlyList<HelplineErrorCode> All { get; } =
    [
        new(AuthenticationRequired, "The operation needs a bearer token and none was sent (HTTP 401)."),
        new(TokenMalformed, "The Authorization header or its token is not a well-formed bearer JWT (HTTP 401)."),
        new(TokenExpired, "The token has expired or is not yet valid (HTTP 401)."),
        new(TokenUnknownKey, "The token is signed with a key this service does not trust (HTTP 401)."),
        new(TokenInvalid, "The token's signature, issuer, audience or claims are not valid (HTTP 401)."),
        new(TokenRevoked, "The token was revoked after it was issued (HTTP 401)."),
        new(OutOfScope, "An argument names a department or jurisdiction outside the token's scope."),
        new(NotYourself, "An argument names someone other than the caller as the one acting; the actor is taken from the token."),
        new(AccessLogUnavailable, "Personal data was asked for but the access log could not record the read; nothing was shown; retry (HTTP 503)."),
        new(PersistedDocumentNotFound, "The documentId names no document registered for the caller (HTTP 400); register it with persistDocuments."),
        new(PersistedDocumentsOnly, "The caller's subject may send persisted documents only (documentId), not a document's text (HTTP 400); nor register its own."),
        new(PersistedDocumentLimit, "The subject would hold more persisted documents than one subject may (1,000)."),
    ];

    /// <summary>Whether the code says the token is missing or bad (HTTP 401).</summary>
    public static bool IsAuthentication(string code) => code is AuthenticationRequired or TokenMalformed or TokenExpired or TokenUnknownKey or TokenInvalid or TokenRevoked;
}
