using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Helpline.Access.Tokens;

/// <summary>
/// Signing keys (EC P-256, as JSON Web Keys) and minting of Helpline tokens (ES256 JWTs). The service only verifies;
/// minting is for <c>./helpline token mint</c>, the load-test tool and tests, with a key they hold.
/// </summary>
public static class AccessTokens
{
    /// <summary>The one signing algorithm accepted.</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>File name ending of a private key in a key directory.</summary>
    public const string PrivateKeySuffix = ".private.jwk";

    /// <summary>File name ending of a public key in a key directory (what the service trusts).</summary>
    public const string PublicKeySuffix = ".public.jwk";

    /// <summary>A new key pair: the private JWK (keep it secret) and the public JWK (give it to the service).</summary>
    public static (string PrivateJwk, string PublicJwk) GenerateKey(string keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = keyId,
            ["alg"] = "ES256",
            ["use"] = "sig",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X),
            ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        };
        var publicJwk = jwk.ToJsonString();
        jwk["d"] = Base64UrlEncoder.Encode(p.D);
        return (jwk.ToJsonString(), publicJwk);
    }

    /// <summary>
    /// Creates a key pair in <paramref name="directory"/> (<c>&lt;kid&gt;.private.jwk</c> readable by the owner only, and
    /// <c>&lt;kid&gt;.public.jwk</c>) and returns its key id.
    /// </summary>
    public static string CreateKeyFiles(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var keyId = "local-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var (privateJwk, publicJwk) = GenerateKey(keyId);
        var privatePath = Path.Combine(directory, keyId + PrivateKeySuffix);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the private key: its owner only
        }

        using (var stream = new FileStream(privatePath, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(privateJwk);
        }

        File.WriteAllText(Path.Combine(directory, keyId + PublicKeySuffix), publicJwk);
        return keyId;
    }

    /// <summary>The newest private key file in <paramref name="directory"/>, or null when there is none.</summary>
    public static string? NewestPrivateKeyFile(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*" + PrivateKeySuffix).OrderByDescending(File.GetLastWriteTimeUtc).ThenByDescending(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <summary>Signs a token carrying <paramref name="claims"/> with the private JWK.</summary>
    public static string Mint(string privateJwk, TokenClaims claims, string issuer = "helpline", string audience = "helpline")
    {
        ArgumentNullException.ThrowIfNull(claims);
        var key = JsonWebKey.Create(privateJwk);
        if (!key.HasPrivateKey)
        {
            throw new ArgumentException("The key has no private part ('d'): mint with a .private.jwk file.", nameof(privateJwk));
        }

        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = claims.Subject,
            [JwtRegisteredClaimNames.Jti] = claims.TokenId,
            ["role"] = RoleNames.NameOf(claims.Role),
        };
        if (claims.Departments is { } departments)
        {
            payload["departments"] = departments.ToArray();
        }

        if (claims.Jurisdictions is { } jurisdictions)
        {
            payload["jurisdictions"] = jurisdictions.ToArray();
        }

        if (claims.Depth is { } depth)
        {
            payload["depth"] = depth;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = payload,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            NotBefore = (claims.NotBefore ?? claims.IssuedAt).UtcDateTime,
            Expires = claims.ExpiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, Algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>Reads a public (or private: only its public part is used) JWK for verifying.</summary>
    internal static JsonWebKey ReadPublicKey(string jwk)
    {
        var key = JsonWebKey.Create(jwk);
        if (key.Kty != "EC" || key.Crv != "P-256" || string.IsNullOrEmpty(key.Kid) || string.IsNullOrEmpty(key.X) || string.IsNullOrEmpty(key.Y))
        {
            throw new InvalidOperationException("A trusted key must be an EC P-256 JSON Web Key with kid, x and y.");
        }

        return new JsonWebKey { Kty = key.Kty, Crv = key.Crv, Kid = key.Kid, X = key.X, Y = key.Y, Alg = Algorithm };
    }

    /// <summary>A fresh token id.</summary>
    public static string NewTokenId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
