using Microsoft.AspNetCore.Http;

namespace Helpline.Platform.Access;

/// <summary>
/// Finds who makes an HTTP request from its <c>Authorization</c> header. The transport asks it once per request; when
/// no authenticator is registered every request is the public's.
/// </summary>
public interface ICallerAuthenticator
{
    /// <summary>The caller, or a refusal with one of the token codes of <see cref="AccessErrorCodes"/>.</summary>
    ValueTask<CallerResult> AuthenticateAsync(HttpContext http);
}

/// <summary>A caller, or why the request's token is refused.</summary>
/// <param name="Caller">The caller; null when refused.</param>
/// <param name="ErrorCode">One of the token codes of <see cref="AccessErrorCodes"/>; null when accepted.</param>
/// <param name="Message">Why, for the client (never the token itself).</param>
public sealed record CallerResult(Caller? Caller, string? ErrorCode = null, string? Message = null)
{
    /// <summary>An accepted caller.</summary>
    public static CallerResult Of(Caller caller) => new(caller);

    /// <summary>A refused token.</summary>
    public static CallerResult Refused(string code, string message) => new(null, code, message);
}

/// <summary>
/// The access log of personal data: every unmasked name or mobile shown to anyone is written here before the answer
/// leaves. Rows are never changed or removed.
/// </summary>
public interface IPersonalDataLog
{
    /// <summary>Writes what the request read; throws when it could not (the transport then withholds the answer).</summary>
    Task WriteAsync(Caller caller, IReadOnlyCollection<PersonalDataRead> reads, string operation, CancellationToken cancellationToken);
}
