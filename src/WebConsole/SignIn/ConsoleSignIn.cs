using System.Security.Claims;
using System.Text.Json;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Helpline.WebConsole.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Helpline.WebConsole.SignIn;

/// <summary>
/// Signs console users in with a token of the service's identities: one pasted or handed over by the state's identity
/// provider, or (development only) one minted here with the local key. The API checks the token; the cookie only
/// carries it, so a token the API would refuse never signs anyone in.
/// </summary>
public sealed class ConsoleSignIn(ConsoleApi api, IOptions<WebConsoleOptions> options, IConfiguration configuration, TimeProvider clock)
{
    private const string MeQuery = "query ConsoleSignIn { me { role subject jurisdictionIds } }";

    /// <summary>Development sign-in is on and there is a local key to sign with.</summary>
    public bool LocalSignInAvailable => options.Value.LocalSignIn && LocalKeyFile() is not null;

    /// <summary>Checks <paramref name="token"/> with the API and builds the signed-in user; the API's reason when it refuses.</summary>
    public async Task<(ClaimsPrincipal? User, DateTimeOffset ExpiresAt, string? Error)> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        token = token.Trim();
        if (token.Length is 0 or > 8000)
        {
            return (null, default, "Paste the whole token: 1 to 8000 characters.");
        }

        var result = await api.SendAsync(token, MeQuery, null, cancellationToken);
        if (!result.Ok)
        {
            return (null, default, result.ErrorText);
        }

        var me = result.Data.GetProperty("me");
        var role = me.GetProperty("role").GetString() ?? "PUBLIC";
        if (role == "PUBLIC")
        {
            return (null, default, "This token signs in nobody: the API sees its holder as the public.");
        }

        var expiresAt = ExpiryOf(token) ?? clock.GetUtcNow().AddHours(8);
        var claims = new List<Claim>
        {
            new(ConsoleClaims.Token, token),
            new(ConsoleClaims.Role, role),
            new(ConsoleClaims.Subject, me.GetProperty("subject").GetString() ?? ""),
            new(ClaimTypes.Name, me.GetProperty("subject").GetString() ?? ""),
        };
        if (me.GetProperty("jurisdictionIds") is { ValueKind: JsonValueKind.Array } places)
        {
            claims.AddRange(places.EnumerateArray().Select(p => new Claim(ConsoleClaims.Jurisdiction, p.GetString() ?? "")));
        }

        return (new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleClaims.Scheme, ClaimTypes.Name, ConsoleClaims.Role)), expiresAt, null);
    }

    /// <summary>A token for development sign-in, signed with the local key; null when development sign-in is off.</summary>
    public string? MintLocal(Role role, string subject, IReadOnlyList<string>? jurisdictions, IReadOnlyList<string>? departments)
    {
        if (!options.Value.LocalSignIn || LocalKeyFile() is not { } keyFile)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return AccessTokens.Mint(File.ReadAllText(keyFile), new TokenClaims(subject, role, departments, jurisdictions, null, AccessTokens.NewTokenId(), issuedAt, issuedAt.AddHours(8)));
    }

    /// <summary>Writes the sign-in cookie, valid until the token expires.</summary>
    public static Task SignInAsync(HttpContext http, ClaimsPrincipal user, DateTimeOffset expiresAt) =>
        http.SignInAsync(ConsoleClaims.Scheme, user, new AuthenticationProperties { ExpiresUtc = expiresAt, IsPersistent = false, AllowRefresh = false });

    private string? LocalKeyFile() =>
        configuration["Helpline:Access:TrustedKeysDirectory"] is { Length: > 0 } directory ? AccessTokens.NewestPrivateKeyFile(directory) : null;

    private static DateTimeOffset? ExpiryOf(string token)
    {
        try
        {
            var expires = new JsonWebToken(token).ValidTo;
            return expires == DateTime.MinValue ? null : new DateTimeOffset(expires, TimeSpan.Zero);
        }
        catch (ArgumentException)
        {
            return null; // the API accepted it, so it is a token; its expiry is then the cookie's default
        }
    }
}
