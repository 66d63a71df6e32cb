using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Helpline.Access.Tokens;

/// <summary>
/// <c>./helpline token ...</c>: the local signing keys and tokens minted with them. The host's executable runs it
/// before anything else starts (no configuration, no database), so minting a token takes a moment.
/// </summary>
public static class AccessCommandLine
{
    /// <summary>The first word of the command line that selects this command.</summary>
    public const string Command = "token";

    /// <summary>The environment variable naming the key directory when <c>--keys</c> is not given (the script sets it to <c>.helpline/keys</c>).</summary>
    public const string KeysDirectoryVariable = "HELPLINE_KEYS_DIR";

    /// <summary>Exit code: done.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: refused (bad arguments, no key, unreadable key).</summary>
    public const int Refused = 2;

    private const string Usage = """
        Usage: ./helpline token mint --role ROLE --subject ID [options]   print a signed token (stdout: the token only)
               ./helpline token new-key [--keys DIR]                       add a signing key pair (rotation)
               ./helpline token keys [--keys DIR]                          list the key ids

        mint options:
          --role ROLE          agent, officer, supervisor, callback-agent, administrator, auditor, partner or importer
          --subject ID         who the token speaks for: an officer id for officer and supervisor tokens, an agent's
                               or system's id otherwise; mutations act as this subject
          --department ID      limit the token to a department (repeat for more)
          --jurisdiction ID    limit the token to a jurisdiction and everything below it (repeat for more)
          --depth N            supervisor tokens: how many levels below their own seat they reach, 1..3
          --ttl LIFETIME       how long the token is valid: 30m, 8h, 2d... (default 8h, at most 365d)
          --keys DIR           key directory (default: $HELPLINE_KEYS_DIR, else .helpline/keys)

        Tokens are signed with the newest private key in the directory (*.private.jwk); the service trusts the public
        keys (*.public.jwk) it found there when it started. After new-key, restart the service (silo by silo) before
        using tokens signed with the new key; keep the old key until the tokens it signed have expired.
        """;

    /// <summary>Whether the command line is a <c>token</c> command.</summary>
    public static bool Handles(IReadOnlyList<string> args) => args is [Command, ..];

    /// <summary>Runs <c>token ...</c> (the whole command line, <c>token</c> first) on the console; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var keys = Environment.GetEnvironmentVariable(KeysDirectoryVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(".helpline", "keys");
        return Run(args.Skip(1).ToList(), Console.Out, Console.Error, keys, TimeProvider.System);
    }

    /// <summary>Runs the words after <c>token</c>.</summary>
    internal static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, string defaultKeysDirectory, TimeProvider clock)
    {
        if (args.Count == 0)
        {
            error.WriteLine(Usage);
            return Refused;
        }

        var rest = args.Skip(1).ToList();
        switch (args[0])
        {
            case "mint":
                return Mint(rest, output, error, defaultKeysDirectory, clock);
            case "new-key":
                return KeysDirectory(rest, defaultKeysDirectory, error, "new-key") is { } newKeyDirectory ? NewKey(newKeyDirectory, output, error, clock) : Refused;
            case "keys":
                return KeysDirectory(rest, defaultKeysDirectory, error, "keys") is { } listDirectory ? ListKeys(listDirectory, output, error) : Refused;
            case "-h" or "--help" or "help":
                output.WriteLine(Usage);
                return Ok;
            default:
                error.WriteLine($"helpline token: unknown command '{args[0]}'\n\n{Usage}");
                return Refused;
        }
    }

    private static int Mint(IReadOnlyList<string> args, TextWriter output, TextWriter error, string defaultKeysDirectory, TimeProvider clock)
    {
        if (args is ["-h" or "--help", ..])
        {
            output.WriteLine(Usage);
            return Ok;
        }

        var parsed = MintArguments.Parse(args, out var problem);
        if (parsed is null)
        {
            error.WriteLine($"helpline token mint: {problem}");
            return Refused;
        }

        var directory = parsed.KeysDirectory ?? defaultKeysDirectory;
        if (AccessTokens.NewestPrivateKeyFile(directory) is not { } keyFile)
        {
            error.WriteLine($"helpline token mint: no signing key in {directory} yet: run ./helpline up once, or ./helpline token new-key");
            return Refused;
        }

        string privateJwk;
        try
        {
            privateJwk = File.ReadAllText(keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"helpline token mint: cannot read the signing key {keyFile}: {ex.Message}");
            return Refused;
        }

        // JWT times are whole seconds; the same instant for iat and nbf.
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
        var claims = new TokenClaims(
            parsed.Subject, parsed.Role, parsed.Departments, parsed.Jurisdictions, parsed.Depth, AccessTokens.NewTokenId(), now, now + parsed.Lifetime);
        try
        {
            output.WriteLine(AccessTokens.Mint(privateJwk, claims));
            return Ok;
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or CryptographicException or SecurityTokenException or InvalidOperationException or NotSupportedException)
        {
            error.WriteLine($"helpline token mint: the signing key {keyFile} is not a usable EC P-256 private JWK: {ex.Message}");
            return Refused;
        }
    }

    private static int NewKey(string directory, TextWriter output, TextWriter error, TimeProvider clock)
    {
        string keyId;
        try
        {
            keyId = AccessTokens.CreateKeyFiles(directory, clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"helpline token new-key: cannot write a key pair in {directory}: {ex.Message}");
            return Refused;
        }

        output.WriteLine(keyId);
        error.WriteLine(
            $"helpline token: key pair {keyId} added in {directory}; mint now signs with it. The service trusts it after a restart " +
            "(silo by silo); keep the older keys until the tokens they signed have expired.");
        return Ok;
    }

    private static int ListKeys(string directory, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(directory) || Directory.GetFiles(directory, "*.jwk").Length == 0)
        {
            error.WriteLine($"helpline token keys: no keys in {directory} yet: run ./helpline up once, or ./helpline token new-key");
            return Ok;
        }

        var newest = AccessTokens.NewestPrivateKeyFile(directory);
        var publicKeys = Directory.GetFiles(directory, "*" + AccessTokens.PublicKeySuffix);
        var privateKeys = Directory.GetFiles(directory, "*" + AccessTokens.PrivateKeySuffix);
        var names = publicKeys.Select(f => Path.GetFileName(f)[..^AccessTokens.PublicKeySuffix.Length])
            .Concat(privateKeys.Select(f => Path.GetFileName(f)[..^AccessTokens.PrivateKeySuffix.Length]))
            .Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Public: Path.Combine(directory, name + AccessTokens.PublicKeySuffix), Private: Path.Combine(directory, name + AccessTokens.PrivateKeySuffix)))
            .OrderBy(k => File.GetLastWriteTimeUtc(File.Exists(k.Private) ? k.Private : k.Public))
            .ThenBy(k => k.Name, StringComparer.Ordinal);
        foreach (var (name, publicFile, privateFile) in names)
        {
            var created = File.GetLastWriteTimeUtc(File.Exists(privateFile) ? privateFile : publicFile).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var parts = (File.Exists(privateFile), File.Exists(publicFile)) switch
            {
                (true, true) => "signs and is trusted",
                (false, true) => "trusted (no private key here)",
                _ => "signs, but no public key here: the service does not trust it",
            };
            var mark = privateFile == newest ? "  <- mint signs with this one" : string.Empty;
            output.WriteLine($"{KeyIdOf(publicFile, privateFile) ?? name}  {created}  {parts}{mark}");
        }

        return Ok;
    }

    // The kid inside the key (what tokens name and the service looks up); file names are only a convention.
    private static string? KeyIdOf(string publicFile, string privateFile)
    {
        try
        {
            var file = File.Exists(publicFile) ? publicFile : privateFile;
            return JsonWebKey.Create(File.ReadAllText(file)).Kid is { Length: > 0 } kid ? kid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? KeysDirectory(IReadOnlyList<string> args, string defaultDirectory, TextWriter error, string command)
    {
        switch (args)
        {
            case []:
                return defaultDirectory;
            case ["--keys", var dir]:
                return dir;
            case [var single] when single.StartsWith("--keys=", StringComparison.Ordinal) && single.Length > "--keys=".Length:
                return single["--keys=".Length..];
            default:
                error.WriteLine($"helpline token {command}: the only option is --keys DIR\n\n{Usage}");
                return null;
        }
    }
}
