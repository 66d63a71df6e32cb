using System.Diagnostics;
using Helpline.Access;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Helpline.Tests.Durability;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Helpline.Tests.Access;

/// <summary><c>./helpline token ...</c>: keys on disk, tokens the service accepts, clear refusals. No database.</summary>
public sealed class AccessCommandLineTests : IDisposable
{
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "helpline-token-cli-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 30, 0, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public async Task A_minted_token_validates_against_the_public_key_file_with_what_was_asked()
    {
        var keyId = Run("new-key").Output.Trim();

        var (code, output, error) = Run("mint", "--role", "supervisor", "--subject", "rural-development@district:162", "--department", "rural-development",
            "--jurisdiction", "district:162", "--jurisdiction=tehsil:800", "--depth", "2", "--ttl", "30m");

        Assert.Equal((0, ""), (code, error));
        var token = output.TrimEnd('\n');
        Assert.DoesNotContain('\n', token); // stdout is the token alone, for TOKEN=$(./helpline token mint ...)
        Assert.Equal(keyId, new JsonWebToken(token).Kid);
        var (claims, refusal, reason) = await Validator().ValidateAsync(token);
        Assert.True(claims is not null, $"{refusal}: {reason}");
        Assert.Equal(("rural-development@district:162", Role.Supervisor, 2), (claims.Subject, claims.Role, claims.Depth));
        Assert.Equal("rural-development", Assert.Single(claims.Departments!));
        Assert.Equal("district:162,tehsil:800", string.Join(',', claims.Jurisdictions!));
        Assert.Equal((_clock.GetUtcNow(), _clock.GetUtcNow().AddMinutes(30)), (claims.IssuedAt, claims.ExpiresAt));
        Assert.NotEmpty(claims.TokenId);
    }

    [Fact]
    public async Task The_token_lives_as_long_as_its_ttl_and_no_longer()
    {
        Run("new-key");
        var token = Run("mint", "--role", "agent", "--subject", "agent-007", "--ttl", "2d").Output.Trim();
        var validator = Validator();

        _clock.Advance(TimeSpan.FromDays(2));
        Assert.NotNull((await validator.ValidateAsync(token)).Claims);
        _clock.Advance(TimeSpan.FromMinutes(1)); // past the 30 s the service allows for clock skew
        Assert.Equal(AccessErrorCodes.TokenExpired, (await validator.ValidateAsync(token)).Code);
    }

    [Fact]
    public async Task Mint_signs_with_the_newest_key_and_both_keys_stay_trusted()
    {
        var oldKey = Run("new-key").Output.Trim();
        var oldToken = Run("mint", "--role", "partner", "--subject", "district-portal").Output.Trim();
        File.SetLastWriteTimeUtc(Path.Combine(_keys, oldKey + AccessTokens.PrivateKeySuffix), DateTime.UtcNow.AddHours(-1));
        _clock.Advance(TimeSpan.FromSeconds(5));
        var newKey = Run("new-key").Output.Trim();

        var newToken = Run("mint", "--role", "partner", "--subject", "district-portal").Output.Trim();

        Assert.NotEqual(oldKey, newKey);
        Assert.Equal((oldKey, newKey), (new JsonWebToken(oldToken).Kid, new JsonWebToken(newToken).Kid));
        var validator = Validator();
        Assert.NotNull((await validator.ValidateAsync(oldToken)).Claims);
        Assert.NotNull((await validator.ValidateAsync(newToken)).Claims);
        var listed = Run("keys").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, listed.Length);
        Assert.StartsWith(newKey, Assert.Single(listed, l => l.Contains("mint signs with this one", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_role_is_refused_with_the_valid_ones()
    {
        Run("new-key");

        var (code, output, error) = Run("mint", "--role", "boss", "--subject", "x");

        Assert.Equal((2, ""), (code, output));
        Assert.Contains("unknown role 'boss'", error, StringComparison.Ordinal);
        foreach (var role in new[] { "agent", "officer", "supervisor", "callback-agent", "administrator", "auditor", "partner", "importer" })
        {
            Assert.Contains(role, error, StringComparison.Ordinal);
        }

        Assert.Contains("unknown role 'public'", Run("mint", "--role", "public", "--subject", "x").Error, StringComparison.Ordinal); // the public has no token
    }

    [Theory]
    [InlineData("8x")]
    [InlineData("8")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("366d")]
    [InlineData("99999999999d")]
    public void A_bad_ttl_is_refused(string ttl)
    {
        Run("new-key");

        var (code, output, error) = Run("mint", "--role", "agent", "--subject", "agent-007", "--ttl", ttl);

        Assert.Equal((2, ""), (code, output));
        Assert.Contains($"--ttl {ttl} is not a lifetime", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--role", "agent" }, "--subject is required")]
    [InlineData(new[] { "--subject", "agent-007" }, "--role is required")]
    [InlineData(new[] { "--role", "agent", "--subject", "a", "--depth", "2" }, "--depth is for supervisor tokens only")]
    [InlineData(new[] { "--role", "supervisor", "--subject", "a", "--depth", "4" }, "--depth 4 is not 1, 2 or 3")]
    [InlineData(new[] { "--role", "agent", "--subject", "a", "--role", "officer" }, "--role is given twice")]
    [InlineData(new[] { "--role", "agent", "--subject", "a", "--scope", "x" }, "unknown option --scope")]
    [InlineData(new[] { "--role", "agent", "--subject", "agent\u0001" }, "--subject is an id: no control, invisible formatting or unassigned characters")]
    public void Other_mistakes_are_refused_plainly(string[] args, string message)
    {
        Run("new-key");

        var (code, output, error) = Run(["mint", .. args]);

        Assert.Equal((2, ""), (code, output));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_key_mint_says_how_to_make_one()
    {
        var (code, output, error) = Run("mint", "--role", "agent", "--subject", "agent-007");

        Assert.Equal((2, ""), (code, output));
        Assert.Contains("run ./helpline up once, or ./helpline token new-key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_executable_mints_without_configuration_or_database()
    {
        Run("new-key");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ServiceProcess.LocateHostDll(), "token", "mint", "--role", "importer", "--subject", "replay", "--keys", _keys })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("HELPLINE_DB");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "token mint did not finish in 60 s");

        Assert.Equal((0, ""), (process.ExitCode, error));
        Assert.Equal("importer", new JsonWebToken(output.Trim()).GetPayloadValue<string>("role"));
    }

    private TokenValidator Validator() =>
        new(Options.Create(new AccessOptions { TrustedKeysDirectory = _keys }), _clock);

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var code = AccessCommandLine.Run(args, output, error, _keys, _clock);
        return (code, output.ToString(), error.ToString());
    }
}
