using System.Collections.Concurrent;
using System.Collections.Frozen;
using Helpline.Platform.Access;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Helpline.Access.Tokens;

/// <summary>
/// Verifies tokens against the trusted keys: ES256 signature by a known <c>kid</c>, issuer, audience, lifetime on the
/// service's clock, and Helpline's claims. A verified token is remembered (by its exact text) until it expires, so a
/// caller's later requests cost a dictionary lookup instead of an ECDSA verification.
/// </summary>
internal sealed class TokenValidator
{
    // Bounded so that a flood of distinct valid tokens cannot grow memory without limit; emptied when full.
    private const int CacheLimit = 100_000;

    private readonly AccessOptions _options;
    private readonly TimeProvider _clock;
    private readonly FrozenDictionary<string, JsonWebKey> _keys;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly ConcurrentDictionary<string, TokenClaims> _verified = new(StringComparer.Ordinal);

    public TokenValidator(IOptions<AccessOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        _keys = TrustedKeys.Load(_options).ToFrozenDictionary(k => k.Kid, StringComparer.Ordinal);
    }

    /// <summary>Key ids trusted, for the start-up log.</summary>
    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    /// <summary>The token's claims, or the code and reason it is refused.</summary>
    public async ValueTask<(TokenClaims? Claims, string? Code, string? Reason)> ValidateAsync(string token)
    {
        if (!_verified.TryGetValue(token, out var claims))
        {
            var (verified, code, reason) = await VerifyAsync(token);
            if (verified is null)
            {
                return (null, code, reason);
            }

            if (_verified.Count >= CacheLimit)
            {
                _verified.Clear();
            }

            _verified[token] = claims = verified;
        }

        var now = _clock.GetUtcNow();
        var skew = TimeSpan.FromSeconds(_options.ClockSkewSeconds);
        if (now > claims.ExpiresAt + skew)
        {
            _verified.TryRemove(token, out _);
            return (null, AccessErrorCodes.TokenExpired, $"The token expired at {claims.ExpiresAt:O}.");
        }

        if (claims.NotBefore is { } notBefore && now + skew < notBefore)
        {
            return (null, AccessErrorCodes.TokenExpired, $"The token is not valid before {notBefore:O}.");
        }

        return (claims, null, null);
    }

    private async Task<(TokenClaims? Claims, string? Code, string? Reason)> VerifyAsync(string token)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            return (null, AccessErrorCodes.TokenMalformed, "The bearer token is not a well-formed JWT (three base64url parts: header, payload, signature).");
        }

        if (!string.Equals(jwt.Alg, AccessTokens.Algorithm, StringComparison.Ordinal))
        {
            return (null, AccessErrorCodes.TokenInvalid, $"The token must be signed with ES256, not '{jwt.Alg}'.");
        }

        if (string.IsNullOrEmpty(jwt.Kid) || !_keys.TryGetValue(jwt.Kid, out var key))
        {
            return (null, AccessErrorCodes.TokenUnknownKey, $"The token is signed with key '{jwt.Kid}', which this service does not trust.");
        }

        var result = await _handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [AccessTokens.Algorithm],
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            // Lifetime is checked on the service's clock (TimeProvider), on every use, not only at first sight.
            ValidateLifetime = false,
            RequireExpirationTime = false,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            return (null, AccessErrorCodes.TokenInvalid, result.Exception switch
            {
                SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
                SecurityTokenInvalidIssuerException => $"The token's issuer is not '{_options.Issuer}'.",
                SecurityTokenInvalidAudienceException => $"The token's audience is not '{_options.Audience}'.",
                SecurityTokenInvalidAlgorithmException => "The token must be signed with ES256.",
                _ => "The token is not valid.",
            });
        }

        return ReadClaims(jwt);
    }

    private static (TokenClaims? Claims, string? Code, string? Reason) ReadClaims(JsonWebToken jwt)
    {
        static (TokenClaims?, string?, string?) Invalid(string reason) => (null, AccessErrorCodes.TokenInvalid, reason);

        if (string.IsNullOrWhiteSpace(jwt.Subject))
        {
            return Invalid("The token has no subject ('sub').");
        }

        if (TokenSubjects.Problem(jwt.Subject) is { } problem)
        {
            return Invalid($"The token's subject ('sub') is an id: {problem}.");
        }

        if (!jwt.TryGetPayloadValue<string>("role", out var roleName) || !RoleNames.TryParse(roleName, out var role))
        {
            return Invalid($"The token's 'role' must be one of: {string.Join(", ", RoleNames.All.Where(r => r != Role.Public).Select(RoleNames.NameOf))}.");
        }

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _))
        {
            return Invalid("The token has no expiry ('exp').");
        }

        var departments = ReadList(jwt, "departments");
        var jurisdictions = ReadList(jwt, "jurisdictions");
        if (departments.Invalid || jurisdictions.Invalid)
        {
            return Invalid("The token's 'departments' and 'jurisdictions' must be arrays of ids.");
        }

        int? depth = null;
        if (jwt.TryGetPayloadValue<int>("depth", out var d))
        {
            if (d is < 1 or > 3)
            {
                return Invalid("The token's 'depth' must be 1..3.");
            }

            depth = d;
        }

        return (new TokenClaims(
            jwt.Subject,
            role,
            departments.Values,
            jurisdictions.Values,
            depth,
            jwt.Id ?? string.Empty,
            jwt.IssuedAt == DateTime.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero),
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            jwt.ValidFrom == DateTime.MinValue ? null : new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero)), null, null);
    }

    private static (IReadOnlyList<string>? Values, bool Invalid) ReadList(JsonWebToken jwt, string claim)
    {
        if (!jwt.TryGetPayloadValue<object>(claim, out _))
        {
            return (null, false);
        }

        return jwt.TryGetPayloadValue<List<string>>(claim, out var values) && values.All(v => !string.IsNullOrWhiteSpace(v))
            ? (values, false)
            : (null, true);
    }
}

/// <summary>Reads the trusted public keys from configuration and the key directory.</summary>
internal static class TrustedKeys
{
    public static IReadOnlyList<JsonWebKey> Load(AccessOptions options)
    {
        var keys = new List<JsonWebKey>();
        foreach (var jwk in options.TrustedKeys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            keys.Add(AccessTokens.ReadPublicKey(jwk));
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedKeysDirectory) && Directory.Exists(options.TrustedKeysDirectory))
        {
            foreach (var file in Directory.GetFiles(options.TrustedKeysDirectory, "*" + AccessTokens.PublicKeySuffix).Order(StringComparer.Ordinal))
            {
                keys.Add(AccessTokens.ReadPublicKey(File.ReadAllText(file)));
            }
        }

        var duplicate = keys.GroupBy(k => k.Kid, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? keys
            : throw new InvalidOperationException($"Two trusted keys have the key id '{duplicate.Key}'; key ids must be unique.");
    }
}
