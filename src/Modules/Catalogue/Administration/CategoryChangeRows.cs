using Helpline.Jurisdictions;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>The SQL of <c>catalogue.category_change</c> and the lookups the administration makes under the write lock.</summary>
internal static class CategoryChangeRows
{
    private const string Columns = "id, category_id, kind, effective_at, recorded_at, actor, reason, before::text, after::text";

    /// <summary>The category's latest change (in effective order), or null.</summary>
    public static async Task<CategoryChange?> LatestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string categoryId, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(
            connection, transaction, $"select {Columns} from catalogue.category_change where category_id = $1 order by effective_at desc, id desc limit 1", cancellationToken, categoryId);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The add that created an administrator's category, or null.</summary>
    public static async Task<CategoryChange?> AddOfAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string categoryId, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(
            connection, transaction, $"select {Columns} from catalogue.category_change where category_id = $1 and kind = 'add' order by id limit 1", cancellationToken, categoryId);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// The state a new change of the category would follow: its latest change's after-state, else its base row; null
    /// when no such category is stored.
    /// </summary>
    public static async Task<(CategoryState? Last, CategoryChange? Latest)> LastAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string categoryId, CancellationToken cancellationToken)
    {
        var latest = await LatestAsync(connection, transaction, categoryId, cancellationToken);
        if (latest is not null)
        {
            return (latest.After, latest);
        }

        var bases = await CatalogueStore.ReadBasesAsync(connection, transaction, cancellationToken, categoryId);
        return (bases.GetValueOrDefault(categoryId), null);
    }

    /// <summary>The origin of the category row with this id, or null when there is none.</summary>
    public static async Task<string?> OriginOfAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string categoryId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select origin from catalogue.categories where id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The department's seat kinds, or null when no department has the id.</summary>
    public static async Task<IReadOnlySet<JurisdictionKind>?> SeatKindsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string departmentId, CancellationToken cancellationToken)
    {
        const string sql = """
            select s.kind from catalogue.departments d
            left join catalogue.department_seats s on s.department_id = d.id
            where d.id = $1
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = departmentId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        HashSet<JurisdictionKind>? kinds = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            kinds ??= [];
            if (!await reader.IsDBNullAsync(0, cancellationToken))
            {
                kinds.Add(Enum.Parse<JurisdictionKind>(reader.GetString(0)));
            }
        }

        return kinds;
    }

    /// <summary>Writes an administrator's category row: the add's shadow, which the loader never touches.</summary>
    public static async Task InsertAddedCategoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CategoryState state, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into catalogue.categories
              (id, name, name_hindi, keywords, department_id, resolution_level, sla_l1_days, sla_l2_days, sla_l3_days, sla_l4_days, source, origin)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'admin')
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)state.NameHindi ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. state.Keywords] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.DepartmentId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.ResolutionLevel.ToString() });
        foreach (var days in state.SlaDays)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days });
        }

        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.Source });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a change and returns it as stored.</summary>
    public static async Task<CategoryChange> InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CategoryChangeKind kind,
        DateTimeOffset effectiveAt,
        DateTimeOffset recordedAt,
        string actor,
        string? reason,
        CategoryState? before,
        CategoryState after,
        CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(
            connection,
            transaction,
            $"""
            insert into catalogue.category_change (category_id, kind, effective_at, recorded_at, actor, reason, before, after)
            values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
            returning {Columns}
            """,
            cancellationToken,
            after.Id,
            KindName(kind),
            effectiveAt,
            recordedAt,
            actor,
            (object?)reason ?? DBNull.Value,
            before is null ? DBNull.Value : CatalogueJson.Write(before),
            CatalogueJson.Write(after));
        return rows[0];
    }

    /// <summary>Recorded changes, newest first.</summary>
    public static Task<List<CategoryChange>> ListAsync(
        NpgsqlConnection connection, string? categoryId, int first, CancellationToken cancellationToken) =>
        ReadAsync(
            connection,
            null,
            $"select {Columns} from catalogue.category_change where ($1::text is null or category_id = $1) order by id desc limit $2",
            cancellationToken,
            (object?)categoryId ?? DBNull.Value,
            first);

    private static string KindName(CategoryChangeKind kind) => kind.ToString().ToLowerInvariant();

    private static async Task<List<CategoryChange>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value switch
            {
                DBNull => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                DateTimeOffset instant => new NpgsqlParameter<DateTimeOffset> { TypedValue = instant.ToUniversalTime() },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        var rows = new List<CategoryChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CategoryChange(
                reader.GetInt64(0),
                reader.GetString(1),
                Enum.Parse<CategoryChangeKind>(reader.GetString(2), ignoreCase: true),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5),
                await reader.IsDBNullAsync(6, cancellationToken) ? null : reader.GetString(6),
                await reader.IsDBNullAsync(7, cancellationToken) ? null : CatalogueJson.Read(reader.GetString(7)),
                CatalogueJson.Read(reader.GetString(8))));
        }

        return rows;
    }
}
