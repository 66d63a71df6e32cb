namespace Helpline.WebConsole;

/// <summary>Settings of the web console (<c>Helpline:WebConsole</c>).</summary>
public sealed class WebConsoleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Helpline:WebConsole";

    /// <summary>
    /// Development sign-in: anyone reaching the console may pick a role and a subject and get a token signed with
    /// the local key (<c>Helpline:Access:TrustedKeysDirectory</c>). <c>./helpline up</c> turns it on; a state's
    /// deployment leaves it off and signs users in with tokens from its own identity provider.
    /// </summary>
    public bool LocalSignIn { get; set; }

    /// <summary>The service's base address for the console's API calls; empty for this silo's own address.</summary>
    public string? ApiAddress { get; set; }
}
