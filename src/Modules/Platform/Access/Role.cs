namespace Helpline.Platform.Access;

/// <summary>What a caller is, as their token says. Each GraphQL field lists the roles that may ask for it.</summary>
public enum Role
{
    /// <summary>No token: the directory, and the status of one grievance by reference number and mobile digits.</summary>
    Public,

    /// <summary>Call-centre agent: registers, answers information requests on the call, sees the caller's history.</summary>
    Agent,

    /// <summary>Officer: acts on the grievances they hold and sees them.</summary>
    Officer,

    /// <summary>Supervisor: an officer who sees and acts for the seats below their own, to a depth.</summary>
    Supervisor,

    /// <summary>Call-back agent: sees the call-backs handed to them.</summary>
    CallbackAgent,

    /// <summary>Administrator: SLA, catalogue, postings and access limits.</summary>
    Administrator,

    /// <summary>Auditor: reads everything, personal data masked, and the access log.</summary>
    Auditor,

    /// <summary>Partner portal (department, district, CM's dashboard): reads within its scope, personal data masked.</summary>
    Partner,

    /// <summary>Importer: imports other systems' exports.</summary>
    Importer,
}

/// <summary>The token names of the roles (the <c>role</c> claim) and back.</summary>
public static class RoleNames
{
    private static readonly Dictionary<Role, string> Names = new()
    {
        [Role.Public] = "public",
        [Role.Agent] = "agent",
        [Role.Officer] = "officer",
        [Role.Supervisor] = "supervisor",
        [Role.CallbackAgent] = "callback-agent",
        [Role.Administrator] = "administrator",
        [Role.Auditor] = "auditor",
        [Role.Partner] = "partner",
        [Role.Importer] = "importer",
    };

    private static readonly Dictionary<string, Role> Roles = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>The name in tokens and in the README's matrix, for example <c>callback-agent</c>.</summary>
    public static string NameOf(Role role) => Names[role];

    /// <summary>The role a token names; false for an unknown name (and for <c>public</c>, which no token carries).</summary>
    public static bool TryParse(string? name, out Role role)
    {
        if (name is not null && Roles.TryGetValue(name, out role) && role != Role.Public)
        {
            return true;
        }

        role = Role.Public;
        return false;
    }

    /// <summary>Every role, in the order of the README's matrix.</summary>
    public static IReadOnlyList<Role> All { get; } = Enum.GetValues<Role>();
}
