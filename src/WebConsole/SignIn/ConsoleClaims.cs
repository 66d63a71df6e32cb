namespace Helpline.WebConsole.SignIn;

/// <summary>The claims of a signed-in console user, as the sign-in cookie carries them.</summary>
public static class ConsoleClaims
{
    /// <summary>The cookie authentication scheme.</summary>
    public const string Scheme = "helpline-console";

    /// <summary>The bearer token the console sends to the API on the user's behalf.</summary>
    public const string Token = "helpline:token";

    /// <summary>The token's subject (an officer id for officers and supervisors).</summary>
    public const string Subject = "helpline:subject";

    /// <summary>The role as the API names it (<c>AGENT</c>, <c>OFFICER</c>, ...).</summary>
    public const string Role = "helpline:role";

    /// <summary>A jurisdiction the token is limited to (one claim each).</summary>
    public const string Jurisdiction = "helpline:jurisdiction";
}
