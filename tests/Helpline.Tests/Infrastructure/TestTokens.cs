using Helpline.Access.Tokens;
using Helpline.Platform.Access;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// Signed tokens for tests: one key pair per test process, whose public half every test host trusts
/// (<see cref="TrustedKeyArgument"/>).
/// </summary>
public static class TestTokens
{
    /// <summary>
    /// Default issue time: well before the test hosts' fake clock starts (2026-11-02), which tests only move forward.
    /// </summary>
    public static readonly DateTimeOffset DefaultIssuedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Default expiry: far beyond any day a test advances its fake clock to.</summary>
    public static readonly DateTimeOffset DefaultExpiresAt = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string PrivateJwk, string PublicJwk) Key = AccessTokens.GenerateKey("helpline-tests-" + AccessTokens.NewTokenId()[..8]);

    /// <summary>The public JWK the test hosts trust.</summary>
    public static string PublicJwk => Key.PublicJwk;

    /// <summary>The command-line argument that makes a host trust <see cref="PublicJwk"/>.</summary>
    public static string TrustedKeyArgument => $"--Helpline:Access:TrustedKeys:0={PublicJwk}";

    /// <summary>A token of <paramref name="role"/> for <paramref name="subject"/>, signed with the tests' key.</summary>
    /// <param name="role">The role claim.</param>
    /// <param name="subject">The subject: an officer id for officers and supervisors.</param>
    /// <param name="departments">Departments the token is limited to; null for none.</param>
    /// <param name="jurisdictions">Jurisdictions the token is limited to; null for none.</param>
    /// <param name="depth">A supervisor's depth; null for the service's default.</param>
    /// <param name="now">Issue (and not-before) time; <see cref="DefaultIssuedAt"/> when null.</param>
    /// <param name="lifetime">Expiry after <paramref name="now"/>; <see cref="DefaultExpiresAt"/> when null.</param>
    public static string Mint(
        Role role,
        string subject,
        IReadOnlyList<string>? departments = null,
        IReadOnlyList<string>? jurisdictions = null,
        int? depth = null,
        DateTimeOffset? now = null,
        TimeSpan? lifetime = null)
    {
        var issuedAt = now ?? DefaultIssuedAt;
        var expiresAt = lifetime is { } l ? issuedAt + l : DefaultExpiresAt;
        return AccessTokens.Mint(Key.PrivateJwk, new TokenClaims(subject, role, departments, jurisdictions, depth, AccessTokens.NewTokenId(), issuedAt, expiresAt));
    }
}
