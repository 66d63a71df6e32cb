using Helpline.Platform.Database;
using Microsoft.Extensions.Logging;
using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>What one load changed: rows inserted, updated and (seats only) deleted per table.</summary>
internal sealed record CatalogueLoadResult(
    int DepartmentsInserted,
    int DepartmentsUpdated,
    int SeatsInserted,
    int SeatsUpdated,
    int SeatsDeleted,
    int CategoriesInserted,
    int CategoriesUpdated)
{
    /// <summary>True when the database already matched the files.</summary>
    public bool Unchanged =>
        DepartmentsInserted + DepartmentsUpdated + SeatsInserted + SeatsUpdated + SeatsDeleted + CategoriesInserted + CategoriesUpdated == 0;
}

/// <summary>
/// Loads the shipped catalogue files into the <c>catalogue</c> schema in one transaction, then refreshes the
/// in-memory catalogue from the database. Idempotent: a row is written only when its shipped columns differ, so a
/// second load changes nothing. Shipped rows are brought in line with the files; database-only state is kept:
/// categories that are not in the files (added by an admin) stay, and <c>retired_at</c>/<c>replaced_by</c> are never
/// touched. A seat that the files no longer list for a shipped department is deleted (refused by the database while
/// a shipped category still resolves at it), unless a category the loader does not own resolves there or an
/// administrative change maps a category there. Administrative changes (<c>catalogue.category_change</c>) overlay the
/// base rows written here, so loading never overwrites them, whatever the files say about those categories: a
/// category's Hindi name (<c>name_hindi</c>, from <c>categories-hi.csv</c>) is a base column like its English name, and
/// an administrator's Hindi rename is such a change, so it outlives every later load. Rows of another origin (<c>import</c>, written by <see cref="ICatalogueRegistry"/>)
/// are never changed or deleted: a file row whose id is taken by such a row is skipped (and a category of such a
/// department too), with a warning.
/// </summary>
internal sealed partial class CatalogueLoader(NpgsqlDataSource dataSource, CatalogueStore store, ILogger<CatalogueLoader> logger) : IReferenceDataLoader
{
    /// <summary>
    /// Takes the transaction-scoped advisory lock that serialises every writer of the catalogue schema (this loader and
    /// <see cref="CatalogueRegistry"/>), across processes.
    /// </summary>
    internal const string WriteLockSql = "select pg_advisory_xact_lock(hashtext('helpline.catalogue.load'))";

    /// <summary>20: after the jurisdictions loader, before the officers loader.</summary>
    public int Order => 20;

    /// <inheritdoc />
    public async Task LoadAsync(CancellationToken cancellationToken) =>
        await LoadAsync(CatalogueFiles.ReadEmbedded(), cancellationToken);

    /// <summary>Upserts <paramref name="data"/> (already validated) and refreshes the in-memory catalogue.</summary>
    public async Task<CatalogueLoadResult> LoadAsync(CatalogueData data, CancellationToken cancellationToken)
    {
        CatalogueLoadResult result;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Several silos may start together; one loads at a time.
            await using (var command = new NpgsqlCommand(WriteLockSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            data = await WithoutForeignRowsAsync(connection, transaction, data, cancellationToken);

            var (departmentsInserted, departmentsUpdated) = await UpsertDepartmentsAsync(connection, transaction, data, cancellationToken);
            var (seatsInserted, seatsUpdated) = await UpsertSeatsAsync(connection, transaction, data, cancellationToken);
            var (categoriesInserted, categoriesUpdated) = await UpsertCategoriesAsync(connection, transaction, data.Categories, ShippedOrigin, cancellationToken);
            var seatsDeleted = await DeleteUnlistedSeatsAsync(connection, transaction, data, cancellationToken);
            result = new CatalogueLoadResult(
                departmentsInserted, departmentsUpdated, seatsInserted, seatsUpdated, seatsDeleted, categoriesInserted, categoriesUpdated);
            if (!result.Unchanged)
            {
                // A silo started with newer shipped files: the silos already running reload too.
                await SharedDataChanges.PublishAsync(connection, transaction, CatalogueArea.Name, "shipped catalogue loaded", TimeProvider.System.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
        LogLoaded(
            data.Departments.Count, data.Categories.Count, result, store.Categories.Count);
        return result;
    }

    private static async Task<(int Inserted, int Updated)> UpsertDepartmentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CatalogueData data, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into catalogue.departments as d (id, name, name_hindi)
            select * from unnest($1::text[], $2::text[], $3::text[])
            on conflict (id) do update set name = excluded.name, name_hindi = excluded.name_hindi
            where d.origin = 'shipped' and (d.name, d.name_hindi) is distinct from (excluded.name, excluded.name_hindi)
            returning (xmax = 0)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. data.Departments.Select(d => d.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. data.Departments.Select(d => d.Name)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. data.Departments.Select(d => d.NameHindi)] });
        return await CountAsync(command, cancellationToken);
    }

    private static async Task<(int Inserted, int Updated)> UpsertSeatsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CatalogueData data, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into catalogue.department_seats as s (department_id, kind, title)
            select * from unnest($1::text[], $2::text[], $3::text[])
            on conflict (department_id, kind) do update set title = excluded.title
            where s.title is distinct from excluded.title
            returning (xmax = 0)
            """;
        var seats = Seats(data);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.DepartmentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Kind)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Title)] });
        return await CountAsync(command, cancellationToken);
    }

    private static async Task<int> DeleteUnlistedSeatsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CatalogueData data, CancellationToken cancellationToken)
    {
        const string sql = """
            delete from catalogue.department_seats s
            where s.department_id = any($1)
              and exists (select 1 from catalogue.departments d where d.id = s.department_id and d.origin = 'shipped')
              and not exists (
                select 1 from unnest($2::text[], $3::text[]) as f(department_id, kind)
                where f.department_id = s.department_id and f.kind = s.kind)
              -- Seats that rows or changes the loader does not own still use are kept: an administrator's or an
              -- import's category resolving there, or any recorded administrative change mapping a category there.
              and not exists (
                select 1 from catalogue.categories c
                where c.origin <> 'shipped' and c.department_id = s.department_id and c.resolution_level = s.kind)
              and not exists (
                select 1 from catalogue.category_change ch
                where ch.after ->> 'departmentId' = s.department_id and ch.after ->> 'resolutionLevel' = s.kind)
            """;
        var seats = Seats(data);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. data.Departments.Select(d => d.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.DepartmentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Kind)] });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts or updates categories as rows of <paramref name="origin"/>: a row of another origin with the same id is
    /// left alone, and an unchanged row is not rewritten. Returns how many were inserted and updated.
    /// </summary>
    internal static async Task<(int Inserted, int Updated)> UpsertCategoriesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Category> categories, string origin, CancellationToken cancellationToken)
    {
        if (categories.Count == 0)
        {
            return (0, 0);
        }

        const string sql = """
            insert into catalogue.categories as c
              (id, name, department_id, resolution_level, sla_l1_days, sla_l2_days, sla_l3_days, sla_l4_days, source, name_hindi, origin)
            select f.*, $11
            from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[], $9::text[], $10::text[])
              as f(id, name, department_id, resolution_level, l1, l2, l3, l4, source, name_hindi)
            on conflict (id) do update set
              name = excluded.name,
              name_hindi = excluded.name_hindi,
              department_id = excluded.department_id,
              resolution_level = excluded.resolution_level,
              sla_l1_days = excluded.sla_l1_days,
              sla_l2_days = excluded.sla_l2_days,
              sla_l3_days = excluded.sla_l3_days,
              sla_l4_days = excluded.sla_l4_days,
              source = excluded.source
            where c.origin = excluded.origin
              and (c.name, c.name_hindi, c.department_id, c.resolution_level, c.sla_l1_days, c.sla_l2_days, c.sla_l3_days, c.sla_l4_days, c.source)
              is distinct from
              (excluded.name, excluded.name_hindi, excluded.department_id, excluded.resolution_level, excluded.sla_l1_days, excluded.sla_l2_days,
               excluded.sla_l3_days, excluded.sla_l4_days, excluded.source)
            returning (xmax = 0)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        AddCategoryColumns(command, categories);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = origin });
        return await CountAsync(command, cancellationToken);
    }

    /// <summary>Origin of the rows written from the shipped files.</summary>
    internal const string ShippedOrigin = "shipped";

    /// <summary>Binds the category columns as arrays $1..$10 (id, name, department, level, SLA L1..L4, source, Hindi name), the shape both category upserts unnest.</summary>
    private static void AddCategoryColumns(NpgsqlCommand command, IReadOnlyCollection<Category> categories)
    {
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.Name)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.DepartmentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.ResolutionLevel.ToString())] });
        for (var level = 1; level <= 4; level++)
        {
            var l = level;
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. categories.Select(c => c.Sla.DaysAt(l))] });
        }

        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.Source)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. categories.Select(c => c.NameHindi)] });
    }

    /// <summary>
    /// <paramref name="data"/> without the departments and categories whose id is taken by a row of another origin
    /// (and without the categories of such departments): those rows are not the loader's to change.
    /// </summary>
    private async Task<CatalogueData> WithoutForeignRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CatalogueData data, CancellationToken cancellationToken)
    {
        const string sql = """
            select true, id from catalogue.departments where origin <> 'shipped'
            union all
            select false, id from catalogue.categories where origin <> 'shipped'
            """;
        var foreignDepartments = new HashSet<string>(StringComparer.Ordinal);
        var foreignCategories = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetBoolean(0) ? foreignDepartments : foreignCategories).Add(reader.GetString(1));
            }
        }

        var skippedDepartments = data.Departments.Where(d => foreignDepartments.Contains(d.Id)).Select(d => d.Id).ToList();
        var skippedCategories = data.Categories
            .Where(c => foreignCategories.Contains(c.Id) || foreignDepartments.Contains(c.DepartmentId))
            .Select(c => c.Id)
            .ToHashSet(StringComparer.Ordinal);
        if (skippedDepartments.Count == 0 && skippedCategories.Count == 0)
        {
            return data;
        }

        LogSkipped(
            string.Join(", ", skippedDepartments), string.Join(", ", skippedCategories.Order(StringComparer.Ordinal)));
        return new CatalogueData(
            [.. data.Departments.Where(d => !foreignDepartments.Contains(d.Id))],
            [.. data.Categories.Where(c => !skippedCategories.Contains(c.Id))]);
    }

    private static List<(string DepartmentId, string Kind, string Title)> Seats(CatalogueData data) =>
        [.. data.Departments.SelectMany(d => d.SeatTitles.Select(s => (d.Id, s.Key.ToString(), s.Value)))];

    /// <summary>Counts the rows an upsert returned: <c>xmax = 0</c> marks a fresh insert, anything else an update.</summary>
    internal static async Task<(int Inserted, int Updated)> CountAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        int inserted = 0, updated = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(0))
            {
                inserted++;
            }
            else
            {
                updated++;
            }
        }

        return (inserted, updated);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue loaded: {Departments} departments, {Categories} categories in the files; {Result}; {Active} active categories in memory")]
    private partial void LogLoaded(int departments, int categories, CatalogueLoadResult result, int active);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalogue files: skipped departments [{Departments}] and categories [{Categories}]: the ids (or their department's) belong to rows of another origin, which the loader leaves alone")]
    private partial void LogSkipped(string departments, string categories);
}
