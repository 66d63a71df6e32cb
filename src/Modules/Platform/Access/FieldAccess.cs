using GraphQL.Builders;
using GraphQL.Types;

namespace Helpline.Platform.Access;

/// <summary>
/// Which roles may ask for a GraphQL field. Every root field declares it (a root field without it is refused to all);
/// a nested field declares it when it is narrower than its parent (an officer's phone, workload and alerts). The
/// transport refuses a document naming a field the caller's role may not ask for before anything runs.
/// </summary>
public static class FieldAccess
{
    /// <summary>Metadata key of the allowed roles on a field.</summary>
    public const string MetadataKey = "helpline:roles";

    /// <summary>Roles of every signed-in caller.</summary>
    public static IReadOnlyList<Role> SignedIn { get; } = [.. RoleNames.All.Where(r => r != Role.Public)];

    /// <summary>Everyone, the public included.</summary>
    public static IReadOnlyList<Role> Everyone { get; } = RoleNames.All;

    /// <summary>Roles that read grievances within their scope (see <see cref="Caller.Sees"/>).</summary>
    public static IReadOnlyList<Role> GrievanceReaders { get; } = [Role.Agent, Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];

    /// <summary>Allows the field to <paramref name="roles"/> only.</summary>
    public static FieldBuilder<TSource, TReturn> AllowedTo<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, params IEnumerable<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.FieldType.Metadata[MetadataKey] = roles.ToHashSet();
        return field;
    }

    /// <summary>The roles allowed the field, or null when it declares none.</summary>
    public static IReadOnlySet<Role>? RolesOf(FieldType field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Metadata.TryGetValue(MetadataKey, out var roles) ? roles as IReadOnlySet<Role> : null;
    }
}
