using Helpline.Platform.Access;

namespace Helpline.Grievances.ReadModel;

/// <summary>A caller's scope as conditions on the read model, so that rows, counts and totals all stay inside it.</summary>
internal static class ScopeSql
{
    /// <summary>Adds one condition per limit of <paramref name="scope"/>; <paramref name="add"/> binds the value to its <c>?</c>.</summary>
    public static void Add(CallerScope? scope, Action<string, object> add)
    {
        if (scope is null)
        {
            return;
        }

        if (scope.Departments is { } departments)
        {
            add("department_id = any(?)", departments.ToArray());
        }

        if (scope.Jurisdictions is { } jurisdictions)
        {
            add("jurisdiction_path && ?::text[]", jurisdictions.ToArray());
        }

        if (scope.HolderOfficerId is { } officer)
        {
            add("officer_id = ?", officer);
        }

        if (scope.Positions is { } positions)
        {
            add("position_id = any(?)", positions.ToArray());
        }
    }
}
