using Helpline.Access;
using Helpline.Access.Tokens;
using Helpline.LoadTests.Replay;
using Helpline.Platform.Access;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Replay;

/// <summary>Without --token or HELPLINE_TOKEN, <c>./helpline replay</c> mints an importer token with the local key.</summary>
public sealed class ImporterTokenTests : IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "helpline-replay-keys-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public async Task The_minted_token_is_an_importers_and_the_service_trusting_the_key_accepts_it()
    {
        AccessTokens.CreateKeyFiles(_keys, _clock.GetUtcNow());

        var (token, problem) = ImporterToken.Mint(_keys, _clock);

        Assert.Null(problem);
        var validator = new TokenValidator(Options.Create(new AccessOptions { TrustedKeysDirectory = _keys }), _clock);
        var (claims, code, reason) = await validator.ValidateAsync(token!);
        Assert.True(claims is not null, $"{code}: {reason}");
        Assert.Equal((Role.Importer, ImporterToken.Subject, _clock.GetUtcNow() + ImporterToken.Lifetime), (claims.Role, claims.Subject, claims.ExpiresAt));
    }

    [Fact]
    public void Without_a_key_it_says_how_to_get_a_token()
    {
        var (token, problem) = ImporterToken.Mint(_keys, _clock);

        Assert.Null(token);
        Assert.Contains("HELPLINE_TOKEN", problem, StringComparison.Ordinal);
        Assert.Contains("./helpline up once, or ./helpline token new-key", problem, StringComparison.Ordinal);
    }
}
