using System.Collections.Concurrent;
using GraphQL.Execution;
using Helpline.Platform.Errors;

namespace Helpline.Platform.Access;

/// <summary>
/// Who is making a request, as the transport found it in their token: subject, role, and the reach of their
/// <see cref="Scope"/>. Resolvers take the acting person from here, never from an argument, and show only what
/// <see cref="Sees"/> allows. One per request; it also collects the personal data the request read
/// (<see cref="RecordPersonalDataRead"/>) for the access log.
/// </summary>
public sealed class Caller
{
    /// <summary>Key of the caller in the GraphQL user context.</summary>
    public const string UserContextKey = "helpline.caller";

    private readonly ConcurrentQueue<PersonalDataRead> _reads = new();

    /// <summary>Creates a caller.</summary>
    /// <param name="subject">The token's subject: an officer id for officers and supervisors, an agent or system id otherwise; empty for the public.</param>
    /// <param name="role">The role.</param>
    /// <param name="scope">What the caller may reach.</param>
    /// <param name="tokenId">The token's id (<c>jti</c>), for the log; null for the public.</param>
    /// <param name="expiresAt">When the token expires; null for the public. A long-lived connection ends then.</param>
    public Caller(string subject, Role role, CallerScope scope, string? tokenId = null, DateTimeOffset? expiresAt = null)
    {
        Subject = subject;
        Role = role;
        Scope = scope;
        TokenId = tokenId;
        ExpiresAt = expiresAt;
    }

    /// <summary>When the token expires; null for the public.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The same caller for another operation of one connection: the same token, nothing read yet.</summary>
    public Caller Fresh() => new(Subject, Role, Scope, TokenId, ExpiresAt);

    /// <summary>A caller without a token.</summary>
    public static Caller NewPublic() => new(string.Empty, Role.Public, CallerScope.Unlimited);

    /// <summary>The token's subject.</summary>
    public string Subject { get; }

    /// <summary>The role.</summary>
    public Role Role { get; }

    /// <summary>What the caller may reach.</summary>
    public CallerScope Scope { get; }

    /// <summary>The token's id, if it has one.</summary>
    public string? TokenId { get; }

    /// <summary>Whether the caller is the public (no token).</summary>
    public bool IsPublic => Role == Role.Public;

    /// <summary>The personal data this request has read so far, in no particular order.</summary>
    public IReadOnlyCollection<PersonalDataRead> PersonalDataReads => _reads.ToArray();

    /// <summary>The caller of the request a resolver runs for; the public when the request came without one.</summary>
    public static Caller Of(IProvideUserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserContext is { } userContext && userContext.TryGetValue(UserContextKey, out var value) && value is Caller caller
            ? caller
            : Public;
    }

    private static Caller Public { get; } = NewPublic();

    /// <summary>Whether the caller may see a grievance at all. Outside this, a grievance answers as if it did not exist.</summary>
    public bool Sees(GrievanceCoordinates grievance) => Role switch
    {
        Role.Public or Role.Importer or Role.CallbackAgent => false,
        _ => Scope.Covers(grievance),
    };

    /// <summary>Whether the caller may see every grievance (a reading role without any limit), so no check is needed.</summary>
    public bool SeesEveryGrievance => Scope.IsUnlimited && Role is not (Role.Public or Role.Importer or Role.CallbackAgent);

    /// <summary>
    /// Whether the caller needs the complainant's name and mobile for this grievance: the agent on the call, the
    /// officer holding it, their supervisor. Everyone else gets them masked.
    /// </summary>
    public bool NeedsPersonalData(GrievanceCoordinates grievance) =>
        Role is Role.Agent or Role.Officer or Role.Supervisor && Sees(grievance);

    /// <summary>Notes that the request showed this caller a personal-data field of a grievance unmasked.</summary>
    public void RecordPersonalDataRead(string referenceNumber, string field) => _reads.Enqueue(new PersonalDataRead(referenceNumber, field));

    /// <summary>
    /// The acting person: the token's subject. An argument naming someone else is refused, so that nobody can act
    /// in another's name by typing their id.
    /// </summary>
    /// <param name="argument">The value given for the actor argument, or null.</param>
    /// <param name="field">The argument's name, for the error.</param>
    public string Actor(string? argument, string field)
    {
        if (argument is not null && !string.Equals(argument, Subject, StringComparison.Ordinal))
        {
            throw new HelplineException(
                AccessErrorCodes.NotYourself,
                $"'{field}' names '{argument}', but this request is made by '{Subject}': the one acting is taken from the token. Leave '{field}' out.",
                field);
        }

        return Subject;
    }

    /// <summary>Refuses a caller whose token is limited to some departments or places: <paramref name="what"/> reaches all of them.</summary>
    public void RequireUnlimited(string what)
    {
        if (Scope.Departments is not null || Scope.Jurisdictions is not null)
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Only a token without department or jurisdiction limits may use {what}.");
        }
    }

    /// <summary>Refuses an argument that names a department or jurisdiction outside the caller's scope.</summary>
    /// <param name="departmentId">The department named, or null.</param>
    /// <param name="jurisdictionPath">The jurisdiction named and its ancestors, or null.</param>
    /// <param name="field">The argument's name, for the error.</param>
    public void RequireInScope(string? departmentId, IReadOnlyCollection<string>? jurisdictionPath, string field)
    {
        if (departmentId is not null && Scope.Departments is { } departments && !departments.Contains(departmentId))
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Department '{departmentId}' is outside this token's scope.", field);
        }

        if (jurisdictionPath is { Count: > 0 } && Scope.Jurisdictions is { } jurisdictions && !jurisdictionPath.Any(jurisdictions.Contains))
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Jurisdiction '{jurisdictionPath.First()}' is outside this token's scope.", field);
        }
    }
}

/// <summary>
/// What a caller may reach. Every limit that is set must hold; null means no limit of that kind.
/// </summary>
/// <param name="Departments">Departments the token is limited to.</param>
/// <param name="Jurisdictions">Jurisdictions the token is limited to, with everything below each.</param>
/// <param name="HolderOfficerId">An officer's own grievances only: those this officer holds now.</param>
/// <param name="Positions">A supervisor's team: grievances held at these seats (their own and those below it, to the token's depth).</param>
public sealed record CallerScope(
    IReadOnlySet<string>? Departments,
    IReadOnlySet<string>? Jurisdictions,
    string? HolderOfficerId = null,
    IReadOnlySet<string>? Positions = null)
{
    /// <summary>No limit.</summary>
    public static CallerScope Unlimited { get; } = new(null, null);

    /// <summary>Whether no limit is set.</summary>
    public bool IsUnlimited => Departments is null && Jurisdictions is null && HolderOfficerId is null && Positions is null;

    /// <summary>Whether every limit holds for the grievance.</summary>
    public bool Covers(GrievanceCoordinates grievance)
    {
        ArgumentNullException.ThrowIfNull(grievance);
        return (Departments is null || Departments.Contains(grievance.DepartmentId))
            && (Jurisdictions is null || grievance.JurisdictionPath.Any(Jurisdictions.Contains))
            && (HolderOfficerId is null || string.Equals(HolderOfficerId, grievance.OfficerId, StringComparison.Ordinal))
            && (Positions is null || Positions.Contains(grievance.PositionId));
    }
}

/// <summary>Where a grievance sits, as scopes see it.</summary>
/// <param name="DepartmentId">Its department now.</param>
/// <param name="JurisdictionPath">Its jurisdiction and every ancestor.</param>
/// <param name="PositionId">The seat holding it now.</param>
/// <param name="OfficerId">The officer holding it now.</param>
public sealed record GrievanceCoordinates(string DepartmentId, IReadOnlyList<string> JurisdictionPath, string PositionId, string OfficerId);

/// <summary>One unmasked personal-data field of one grievance shown to a caller.</summary>
/// <param name="ReferenceNumber">The grievance.</param>
/// <param name="Field">For example <c>complainant.mobile</c>.</param>
public sealed record PersonalDataRead(string ReferenceNumber, string Field);
