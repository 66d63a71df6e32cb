using System.Net;
using System.Text;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Helpline.Tests.Access;

/// <summary>
/// Tokens that are refused, each with its own code, HTTP 401 and a Bearer challenge, and nothing run: an unknown key,
/// a bad signature, an expired token (on the host's clock), a malformed header; and tokens narrowed or revoked by an
/// administrator after they were issued.
/// </summary>
public sealed class TokenErrorTests(AccessTestHost world) : IClassFixture<AccessTestHost>
{
    private const string Me = "{ me { subject role jurisdictionIds } }";
    private const string LimitNobody = """mutation { limitSubject(subject: "token-tests-victim", jurisdictionIds: ["district:118"]) { subject } }""";

    private string Administrator => world.Token(Role.Administrator, "token-tests-admin");

    private static void AssertRefused(AccessResponse r, string code)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal(code, r.FirstCode);
        Assert.Null(r.Body["data"]);
        Assert.NotNull(r.WwwAuthenticate);
        Assert.StartsWith("Bearer", r.WwwAuthenticate, StringComparison.Ordinal);
    }

    /// <summary>The refused request changed nothing: the limit it asked for is not there.</summary>
    private async Task AssertNothingLimitedAsync()
    {
        var limit = await world.SendAsync("""{ subjectLimit(subject: "token-tests-victim") { subject } }""", bearer: Administrator);
        Assert.Null(limit.Get("subjectLimit"));
    }

    [Fact]
    public async Task A_token_signed_by_a_key_the_service_does_not_trust_is_refused_with_TOKEN_UNKNOWN_KEY()
    {
        var now = world.Clock.GetUtcNow();
        var token = AccessTestKeys.Mint(Role.Administrator, "token-tests-admin", now.AddMinutes(-1), now.AddHours(1), privateJwk: AccessTestKeys.Untrusted.PrivateJwk);

        AssertRefused(await world.SendAsync(LimitNobody, bearer: token), AccessErrorCodes.TokenUnknownKey);
        await AssertNothingLimitedAsync();
    }

    [Fact]
    public async Task A_token_whose_signature_or_claims_were_altered_is_refused_with_TOKEN_INVALID()
    {
        var parts = world.Token(Role.Officer, "token-tests-officer").Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        AssertRefused(await world.SendAsync(Me, bearer: $"{parts[0]}.{parts[1]}.{new string(signature)}"), AccessErrorCodes.TokenInvalid);

        // The payload made an administrator's, the officer's signature kept.
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"officer\"", "\"administrator\"", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        AssertRefused(await world.SendAsync(LimitNobody, bearer: forged), AccessErrorCodes.TokenInvalid);
        await AssertNothingLimitedAsync();

        // The untouched token works.
        Assert.Equal("officer", (await world.SendAsync(Me, bearer: string.Join('.', parts))).Get("me.role").GetValue<string>().ToLowerInvariant());
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused_with_TOKEN_INVALID_even_naming_a_trusted_key()
    {
        var parts = world.Token(Role.Administrator, "token-tests-admin").Split('.');
        var header = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[0])).Replace("\"ES256\"", "\"none\"", StringComparison.Ordinal);
        Assert.Contains("\"none\"", header, StringComparison.Ordinal);
        var unsigned = $"{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header))}.{parts[1]}.";

        AssertRefused(await world.SendAsync(LimitNobody, bearer: unsigned), AccessErrorCodes.TokenInvalid);
        var noKey = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"JWT\"}"));
        AssertRefused(await world.SendAsync(LimitNobody, bearer: $"{noKey}.{parts[1]}."), AccessErrorCodes.TokenInvalid);
        await AssertNothingLimitedAsync();
    }

    [Fact]
    public async Task A_token_works_until_it_expires_on_the_service_clock_and_is_then_refused_with_TOKEN_EXPIRED()
    {
        var now = world.Clock.GetUtcNow();
        var token = AccessTestKeys.Mint(Role.Administrator, "token-tests-admin", now.AddMinutes(-1), now.AddMinutes(10));
        Assert.Equal("token-tests-admin", (await world.SendAsync(Me, bearer: token)).Get("me.subject").GetValue<string>());

        world.Clock.Advance(TimeSpan.FromMinutes(11)); // past the expiry and the 30 s leeway

        AssertRefused(await world.SendAsync(Me, bearer: token), AccessErrorCodes.TokenExpired);
        AssertRefused(await world.SendAsync(LimitNobody, bearer: token), AccessErrorCodes.TokenExpired);
        await AssertNothingLimitedAsync();
    }

    [Theory]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Bearer a.b")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("token-without-a-scheme")]
    public async Task A_malformed_header_or_token_is_refused_with_TOKEN_MALFORMED(string header)
    {
        AssertRefused(await world.SendAsync(LimitNobody, rawAuthorization: [header]), AccessErrorCodes.TokenMalformed);
        await AssertNothingLimitedAsync();
    }

    [Fact]
    public async Task Two_Authorization_headers_are_refused_with_TOKEN_MALFORMED()
    {
        var token = Administrator;
        AssertRefused(await world.SendAsync(LimitNobody, rawAuthorization: [$"Bearer {token}", $"Bearer {token}"]), AccessErrorCodes.TokenMalformed);
        await AssertNothingLimitedAsync();
    }

    [Fact]
    public async Task A_scope_narrowed_after_issue_narrows_the_same_token_and_never_widens_it()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock);
        const string one = "query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }";
        var partner = world.Token(Role.Partner, "token-tests-partner");
        var lucknowPartner = world.Token(Role.Partner, "token-tests-lucknow", jurisdictions: [Places.Lucknow]);
        Assert.Equal(g.ReferenceNumber, (await world.SendAsync(one, new { r = g.ReferenceNumber }, partner)).Get("grievance.referenceNumber").GetValue<string>());

        foreach (var subject in new[] { "token-tests-partner", "token-tests-lucknow" })
        {
            var limited = await world.SendAsync(
                "mutation($s: String!) { limitSubject(subject: $s, jurisdictionIds: [\"district:118\"]) { subject jurisdictionIds } }", new { s = subject }, Administrator);
            Assert.Equal(Places.Agra, limited.Get("limitSubject.jurisdictionIds.0").GetValue<string>());
        }

        // The same token now reaches Agra only: the Lucknow grievance is as if it did not exist.
        await Wait.UntilAsync(() => world.SendAsync(one, new { r = g.ReferenceNumber }, partner), r => r.FirstCode == "UNKNOWN_GRIEVANCE", "the limit to reach the token");
        Assert.Equal(new[] { Places.Agra }, (await world.SendAsync(Me, bearer: partner)).Get("me.jurisdictionIds").AsArray().Select(j => j!.GetValue<string>()));

        // A token for Lucknow limited to Agra reaches neither: a limit never adds to what the token says.
        Assert.Empty((await world.SendAsync(Me, bearer: lucknowPartner)).Get("me.jurisdictionIds").AsArray());
        Assert.Equal("UNKNOWN_GRIEVANCE", (await world.SendAsync(one, new { r = g.ReferenceNumber }, lucknowPartner)).FirstCode);
        Assert.Equal(0, (await world.SendAsync("{ grievances { totalCount } }", bearer: lucknowPartner)).Get("grievances.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task Revoked_tokens_are_refused_with_TOKEN_REVOKED_and_a_token_minted_afterwards_works()
    {
        var old = world.Token(Role.Officer, "token-tests-revoked");
        Assert.Equal("token-tests-revoked", (await world.SendAsync(Me, bearer: old)).Get("me.subject").GetValue<string>());
        var bystander = world.Token(Role.Officer, "token-tests-bystander");

        var revoked = await world.SendAsync("mutation { revokeTokens(subject: \"token-tests-revoked\") { subject tokensRevokedBefore } }", bearer: Administrator);
        Assert.NotNull(revoked.Get("revokeTokens.tokensRevokedBefore"));

        var refused = await Wait.UntilAsync(() => world.SendAsync(Me, bearer: old), r => r.Status != HttpStatusCode.OK, "the revocation to reach the token");
        AssertRefused(refused, AccessErrorCodes.TokenRevoked);
        Assert.Equal("token-tests-bystander", (await world.SendAsync(Me, bearer: bystander)).Get("me.subject").GetValue<string>());

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        var now = world.Clock.GetUtcNow();
        var fresh = AccessTestKeys.Mint(Role.Officer, "token-tests-revoked", now, now.AddHours(1));
        Assert.Equal("token-tests-revoked", (await world.SendAsync(Me, bearer: fresh)).Get("me.subject").GetValue<string>());
        AssertRefused(await world.SendAsync(Me, bearer: old), AccessErrorCodes.TokenRevoked);
    }

    [Fact]
    public async Task Tokens_with_a_wrong_issuer_audience_role_depth_or_subject_are_refused_with_TOKEN_INVALID_and_logged_without_the_token()
    {
        var now = world.Clock.GetUtcNow();
        TokenClaims Claims(Role role, int? depth = null, string subject = "token-tests-admin") =>
            new(subject, role, null, null, depth, AccessTokens.NewTokenId(), now.AddMinutes(-1), now.AddHours(1));
        var tokens = new Dictionary<string, string>
        {
            ["issuer"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator), issuer: "someone-else"),
            ["audience"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator), audience: "another-service"),
            ["role public"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Public)),
            ["depth 7"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Supervisor, depth: 7)),
            ["subject with a NUL"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator, subject: "token-tests-admin\0x")),
            ["subject with a right-to-left override"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator, subject: "token-tests-\u202Enimda")),
            ["subject with a zero-width space"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator, subject: "token-tests\u200B-admin")),
            ["subject of 129 characters"] = AccessTokens.Mint(AccessTestKeys.Trusted.PrivateJwk, Claims(Role.Administrator, subject: new string('a', 129))),
        };

        foreach (var (what, token) in tokens)
        {
            var r = await world.SendAsync(LimitNobody, bearer: token);
            Assert.True(r.Status == HttpStatusCode.Unauthorized && r.FirstCode == AccessErrorCodes.TokenInvalid, $"{what}: {r}");
            AssertRefused(r, AccessErrorCodes.TokenInvalid);
        }

        await AssertNothingLimitedAsync();
        var refusals = world.Logs.Where(l => l.Contains(AccessErrorCodes.TokenInvalid, StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count >= tokens.Count, string.Join(Environment.NewLine, world.Logs));
        Assert.DoesNotContain(world.Logs, l => tokens.Values.Any(t => l.Contains(t, StringComparison.Ordinal) || l.Contains(t.Split('.')[2], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused_with_TOKEN_EXPIRED()
    {
        var now = world.Clock.GetUtcNow();
        var early = AccessTokens.Mint(
            AccessTestKeys.Trusted.PrivateJwk,
            new TokenClaims("token-tests-admin", Role.Administrator, null, null, null, AccessTokens.NewTokenId(), now, now.AddHours(2), NotBefore: now.AddHours(1)));

        AssertRefused(await world.SendAsync(LimitNobody, bearer: early), AccessErrorCodes.TokenExpired);
        await AssertNothingLimitedAsync();
    }
}
