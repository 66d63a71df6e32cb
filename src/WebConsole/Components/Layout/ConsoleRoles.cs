namespace Helpline.WebConsole.Components.Layout;

/// <summary>Which pages each role works in (the API decides what each page may show or do).</summary>
public static class ConsoleRoles
{
    /// <summary>The pages a role's menu lists, in order, as (address, English name).</summary>
    public static IEnumerable<(string Href, string Name)> PagesOf(string? role)
    {
        switch (role)
        {
            case "AGENT":
                yield return ("desk", "Agent desk");
                break;
            case "OFFICER":
                yield return ("inbox", "Inbox");
                break;
            case "SUPERVISOR":
                yield return ("board", "Supervisor board");
                yield return ("inbox", "Inbox");
                break;
            case "CALLBACK_AGENT":
                yield return ("callbacks", "Call-back desk");
                break;
        }

        yield return ("public", "Who resolves what");
    }

    /// <summary>The English name of a role as the API names it.</summary>
    public static string DisplayName(string? role) => role switch
    {
        "AGENT" => "Agent",
        "OFFICER" => "Officer",
        "SUPERVISOR" => "Supervisor",
        "CALLBACK_AGENT" => "Call-back agent",
        "ADMINISTRATOR" => "Administrator",
        "AUDITOR" => "Auditor",
        "PARTNER" => "Partner",
        _ => "Public",
    };

    /// <summary>The page a role starts at after signing in.</summary>
    public static string HomeOf(string? role) => PagesOf(role).First().Href;
}
