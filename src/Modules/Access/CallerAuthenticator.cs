using Helpline.Access.Grants;
using Helpline.Access.Tokens;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helpline.Access;

/// <summary>
/// The caller of a request: the public without an <c>Authorization</c> header; otherwise the verified token's subject
/// and role, with the scope the token gives narrowed by any limit an administrator set since, and the reach of the
/// role (an officer's own grievances, a supervisor's team).
/// </summary>
internal sealed partial class CallerAuthenticator(
    TokenValidator tokens,
    SubjectLimits limits,
    IJurisdictionDirectory jurisdictions,
    IOfficerDirectory officers,
    IOptions<AccessOptions> options,
    ILogger<CallerAuthenticator> logger) : ICallerAuthenticator
{
    private const string Scheme = "Bearer ";

    public async ValueTask<CallerResult> AuthenticateAsync(HttpContext http)
    {
        var headers = http.Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return CallerResult.Of(Caller.NewPublic());
        }

        var header = headers.Count == 1 ? headers[0] : null;
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            return Refuse(http, AccessErrorCodes.TokenMalformed, "Send one header 'Authorization: Bearer <token>'.", subject: null);
        }

        var (claims, code, reason) = await tokens.ValidateAsync(header[Scheme.Length..].Trim());
        if (claims is null)
        {
            return Refuse(http, code!, reason!, subject: null);
        }

        var limit = limits.Find(claims.Subject);
        if (limit?.TokensRevokedBefore is { } revokedBefore && claims.IssuedAt < revokedBefore)
        {
            return Refuse(http, AccessErrorCodes.TokenRevoked, $"Tokens of '{claims.Subject}' issued before {revokedBefore:O} (issue times count in whole seconds) were revoked; ask for a new one.", claims.Subject);
        }

        return CallerResult.Of(new Caller(claims.Subject, claims.Role, ScopeOf(claims, limit), claims.TokenId, claims.ExpiresAt));
    }

    private CallerScope ScopeOf(TokenClaims claims, SubjectLimit? limit)
    {
        var departments = Intersect(claims.Departments, limit?.DepartmentIds);
        var places = IntersectPlaces(claims.Jurisdictions, limit?.JurisdictionIds);
        return claims.Role switch
        {
            Role.Officer => new CallerScope(departments, places, HolderOfficerId: claims.Subject),
            Role.Supervisor => new CallerScope(departments, places, Positions: TeamOf(claims.Subject, claims.Depth ?? options.Value.DefaultSupervisorDepth)),
            _ => new CallerScope(departments, places),
        };
    }

    /// <summary>The supervisor's own seat and every seat below it, <paramref name="depth"/> levels down.</summary>
    private HashSet<string> TeamOf(string officerId, int depth)
    {
        var team = new HashSet<string>(StringComparer.Ordinal);
        if (officers.FindOfficer(officerId)?.PositionId is not { } seat)
        {
            return team; // not (or no longer) on the roster, or not posted: a team of nobody
        }

        var level = new List<string> { seat };
        team.Add(seat);
        for (var i = 0; i < depth && level.Count > 0; i++)
        {
            level = [.. level.SelectMany(officers.SubordinatesOf).Select(p => p.Id).Where(team.Add)];
        }

        return team;
    }

    private static HashSet<string>? Intersect(IReadOnlyList<string>? token, IReadOnlyList<string>? limit) =>
        (token, limit) switch
        {
            (null, null) => null,
            (not null, null) => token.ToHashSet(StringComparer.Ordinal),
            (null, not null) => limit.ToHashSet(StringComparer.Ordinal),
            _ => token.Intersect(limit!, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal),
        };

    /// <summary>Places inside both lists, each list meaning its nodes and everything below them.</summary>
    private HashSet<string>? IntersectPlaces(IReadOnlyList<string>? token, IReadOnlyList<string>? limit)
    {
        if (token is null || limit is null)
        {
            return Intersect(token, limit);
        }

        var both = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in token)
        {
            foreach (var l in limit)
            {
                if (jurisdictions.IsWithin(l, t))
                {
                    both.Add(l);
                }
                else if (jurisdictions.IsWithin(t, l))
                {
                    both.Add(t);
                }
            }
        }

        return both;
    }

    private CallerResult Refuse(HttpContext http, string code, string reason, string? subject)
    {
        LogRefused(logger, code, reason, subject, http.Connection.RemoteIpAddress?.ToString());
        return CallerResult.Refused(code, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a token ({Code}): {Reason} Subject: {Subject}; from {RemoteAddress}.")]
    private static partial void LogRefused(ILogger logger, string code, string reason, string? subject, string? remoteAddress);
}
