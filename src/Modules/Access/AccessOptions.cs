namespace Helpline.Access;

/// <summary>How tokens are checked (configuration section <c>Helpline:Access</c>).</summary>
public sealed class AccessOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Helpline:Access";

    /// <summary>The <c>iss</c> every token must carry.</summary>
    public string Issuer { get; set; } = "helpline";

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = "helpline";

    /// <summary>
    /// Public keys whose tokens are accepted, each a JSON Web Key (EC P-256, with <c>kid</c>). Several at once: add the
    /// new key, restart the silos one by one, sign with the new key, and drop the old one once its tokens have expired.
    /// </summary>
    public List<string> TrustedKeys { get; set; } = [];

    /// <summary>A directory whose <c>*.public.jwk</c> files are trusted too (<c>./helpline up</c> keeps its local key there).</summary>
    public string? TrustedKeysDirectory { get; set; }

    /// <summary>Leeway for clocks that differ between the issuer and the service, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>How many levels below their own seat a supervisor's token reaches when it does not say (<c>depth</c> claim).</summary>
    public int DefaultSupervisorDepth { get; set; } = 3;
}
