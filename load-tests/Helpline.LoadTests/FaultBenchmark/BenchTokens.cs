using Helpline.Access.Tokens;
using Helpline.Platform.Access;

namespace Helpline.LoadTests.FaultBenchmark;

/// <summary>
/// The benchmark's own signing key, made in memory for one run: its silos trust the public half
/// (<c>Helpline__Access__TrustedKeys__0</c>), and the callers send tokens signed with the private half, each with the
/// role its calls need.
/// </summary>
internal sealed class BenchTokens
{
    /// <summary>The agent who registers (also the <c>agentId</c> the registrations name, which must be the token's subject).</summary>
    public const string AgentId = "fault-bench";

    private BenchTokens(string publicJwk, string importer, string agent, string auditor)
    {
        PublicJwk = publicJwk;
        Importer = importer;
        Agent = agent;
        Auditor = auditor;
    }

    /// <summary>The public key, as the silos are given it.</summary>
    public string PublicJwk { get; }

    /// <summary>A token with role importer: seeding through <c>importGrievances</c>.</summary>
    public string Importer { get; }

    /// <summary>A token with role agent: <c>registerGrievance</c>.</summary>
    public string Agent { get; }

    /// <summary>A token with role auditor, unlimited: reading officers' workloads.</summary>
    public string Auditor { get; }

    /// <summary>The silos' environment: trust this key (and no file of the machine's).</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Helpline__Access__TrustedKeys__0"] = PublicJwk,
        ["Helpline__Access__TrustedKeysDirectory"] = string.Empty,
    };

    /// <summary>A fresh key and tokens valid for <paramref name="lifetime"/> from now (the whole run, seeding and settling included).</summary>
    public static BenchTokens Create(string runId, TimeSpan lifetime)
    {
        var (privateJwk, publicJwk) = AccessTokens.GenerateKey("fault-bench-" + runId);
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        string Mint(string subject, Role role) =>
            AccessTokens.Mint(privateJwk, new TokenClaims(subject, role, null, null, null, AccessTokens.NewTokenId(), now, now + lifetime));
        return new BenchTokens(publicJwk, Mint("fault-bench-importer", Role.Importer), Mint(AgentId, Role.Agent), Mint("bench-auditor", Role.Auditor));
    }
}
