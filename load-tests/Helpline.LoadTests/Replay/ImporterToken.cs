using Helpline.Access.Tokens;
using Helpline.Platform.Access;

namespace Helpline.LoadTests.Replay;

/// <summary>
/// The token a replay sends when none is given: role <c>importer</c>, signed with the newest private key of the local
/// key directory (the one <c>./helpline up</c> creates and the service it starts trusts), as
/// <c>./helpline token mint --role importer --subject replay --ttl 24h</c> would.
/// </summary>
public static class ImporterToken
{
    /// <summary>The subject of a minted importer token (recorded as the importer).</summary>
    public const string Subject = "replay";

    /// <summary>Long enough for a replay of millions of rows; a token that expires mid-run would stop it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// Mints a token with the newest key in <paramref name="keysDirectory"/>, else in the first <c>.helpline/keys</c>
    /// above the current directory or above this tool (it lives in the checkout). Null and the reason when there is no key.
    /// </summary>
    public static (string? Token, string? Problem) Mint(string? keysDirectory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var directory = keysDirectory is { Length: > 0 } ? keysDirectory : FindKeysDirectory();
        if (directory is null || AccessTokens.NewestPrivateKeyFile(directory) is not { } keyFile)
        {
            return (null, $"no token: give --token or ${ReplayDefaults.TokenVariable} (./helpline token mint --role importer --subject NAME), " +
                $"or create the local key ({(directory is null ? "no .helpline/keys found" : "none in " + directory)}): run ./helpline up once, or ./helpline token new-key");
        }

        try
        {
            var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
            var claims = new TokenClaims(Subject, Role.Importer, null, null, null, AccessTokens.NewTokenId(), now, now + Lifetime);
            return (AccessTokens.Mint(File.ReadAllText(keyFile), claims), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            return (null, $"cannot mint an importer token with {keyFile}: {ex.Message}");
        }
    }

    private static string? FindKeysDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var keys = Path.Combine(dir.FullName, ".helpline", "keys");
                if (Directory.Exists(keys))
                {
                    return keys;
                }
            }
        }

        return null;
    }
}
