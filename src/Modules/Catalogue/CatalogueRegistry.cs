using Helpline.Jurisdictions;
using Microsoft.Extensions.Logging;
using Helpline.Platform.SharedData;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>
/// Run-time additions to the catalogue (imported sources). Validates the call, writes it in one transaction under the
/// catalogue's write lock (the loader's), marking rows <c>import</c>, then refreshes this process's
/// <see cref="CatalogueStore"/> from the database.
/// </summary>
internal sealed partial class CatalogueRegistry(NpgsqlDataSource dataSource, CatalogueStore store, ILogger<CatalogueRegistry> logger)
    : ICatalogueRegistry
{
    /// <summary>Origin of the rows this registry writes; the only origin it writes over.</summary>
    internal const string ImportOrigin = "import";

    public async Task UpsertAsync(IReadOnlyList<Department> departments, IReadOnlyList<Category> categories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(departments);
        ArgumentNullException.ThrowIfNull(categories);
        var departmentList = departments.Select(d => Normalise(d, nameof(departments))).ToList();
        var departmentsById = new Dictionary<string, Department>(StringComparer.Ordinal);
        foreach (var d in departmentList)
        {
            if (!departmentsById.TryAdd(d.Id, d))
            {
                throw new ArgumentException($"Department '{d.Id}' is given more than once.", nameof(departments));
            }
        }

        var categoryList = categories.Select(c => Normalise(c, nameof(categories))).ToList();
        var categoryIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in categoryList)
        {
            if (!categoryIds.Add(c.Id))
            {
                throw new ArgumentException($"Category '{c.Id}' is given more than once.", nameof(categories));
            }

            if (departmentsById.TryGetValue(c.DepartmentId, out var department))
            {
                CheckLevel(c, department.SeatTitles.Keys, nameof(categories));
            }
        }

        if (departmentList.Count == 0 && categoryList.Count == 0)
        {
            return;
        }

        (int Inserted, int Updated) departmentCounts, seatCounts, categoryCounts;
        int seatsDeleted;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var command = new NpgsqlCommand(CatalogueLoader.WriteLockSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // Checks against what is stored, under the lock; throwing disposes the transaction, so nothing is stored.
            await CheckOriginsAsync(connection, transaction, departmentList, categoryList, cancellationToken);
            await CheckStoredDepartmentsAsync(connection, transaction, departmentsById, categoryList, cancellationToken);
            await CheckRemovedSeatsAsync(connection, transaction, departmentList, categoryIds, cancellationToken);

            departmentCounts = await UpsertDepartmentsAsync(connection, transaction, departmentList, cancellationToken);
            seatCounts = await UpsertSeatsAsync(connection, transaction, departmentList, cancellationToken);
            categoryCounts = await CatalogueLoader.UpsertCategoriesAsync(connection, transaction, categoryList, ImportOrigin, cancellationToken);
            seatsDeleted = await DeleteUnlistedSeatsAsync(connection, transaction, departmentList, cancellationToken);
            if (departmentCounts.Inserted + departmentCounts.Updated + seatCounts.Inserted + seatCounts.Updated + categoryCounts.Inserted + categoryCounts.Updated + seatsDeleted > 0)
            {
                await SharedDataChanges.PublishAsync(
                    connection, transaction, CatalogueArea.Name, $"imported: {departmentList.Count} departments, {categoryList.Count} categories", TimeProvider.System.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
        LogUpserted(
            departmentList.Count, departmentCounts.Inserted, departmentCounts.Updated, seatCounts.Inserted, seatCounts.Updated, seatsDeleted,
            categoryList.Count, categoryCounts.Inserted, categoryCounts.Updated);
    }

    private static Department Normalise(Department? d, string paramName)
    {
        if (d is null)
        {
            throw new ArgumentException("A department is null.", paramName);
        }

        CheckId(d.Id, "Department", paramName);
        if (string.IsNullOrWhiteSpace(d.Name))
        {
            throw new ArgumentException($"Department '{d.Id}' has no name.", paramName);
        }

        if (d.SeatTitles is null)
        {
            throw new ArgumentException($"Department '{d.Id}' has no seat titles (null).", paramName);
        }

        var seats = new Dictionary<JurisdictionKind, string>();
        foreach (var (kind, title) in d.SeatTitles)
        {
            if (!Enum.IsDefined(kind))
            {
                throw new ArgumentException($"Department '{d.Id}' has a seat of undefined jurisdiction kind {(int)kind}.", paramName);
            }

            if (string.IsNullOrWhiteSpace(title))
            {
                throw new ArgumentException($"Department '{d.Id}' has a blank seat title at {kind}.", paramName);
            }

            seats[kind] = title.Trim();
        }

        var hindi = string.IsNullOrWhiteSpace(d.NameHindi) ? null : d.NameHindi.Trim();
        return new Department(d.Id, d.Name.Trim(), hindi, seats);
    }

    private static Category Normalise(Category? c, string paramName)
    {
        if (c is null)
        {
            throw new ArgumentException("A category is null.", paramName);
        }

        CheckId(c.Id, "Category", paramName);
        if (string.IsNullOrWhiteSpace(c.Name))
        {
            throw new ArgumentException($"Category '{c.Id}' has no name.", paramName);
        }

        if (string.IsNullOrWhiteSpace(c.DepartmentId))
        {
            throw new ArgumentException($"Category '{c.Id}' has no department.", paramName);
        }

        if (!Enum.IsDefined(c.ResolutionLevel))
        {
            throw new ArgumentException($"Category '{c.Id}' has undefined resolution level {(int)c.ResolutionLevel}.", paramName);
        }

        if (c.Sla?.LevelDays is not { Count: 4 } days || days.Any(n => n < 1 || n > CatalogueFiles.MaxLevelDays))
        {
            throw new ArgumentException(
                $"Category '{c.Id}': the SLA must give exactly four levels (L1..L4) of 1 to {CatalogueFiles.MaxLevelDays} calendar days each; got [{string.Join(", ", c.Sla?.LevelDays ?? [])}].",
                paramName);
        }

        if (string.IsNullOrWhiteSpace(c.Source))
        {
            throw new ArgumentException($"Category '{c.Id}' has an empty source.", paramName);
        }

        return new Category(c.Id, c.Name.Trim(), c.DepartmentId, c.ResolutionLevel, new SlaPolicy([.. days]), c.Source.Trim());
    }

    private static void CheckId(string? id, string what, string parameter)
    {
        if (id is null || !CatalogueFiles.KebabCode().IsMatch(id))
        {
            throw new ArgumentException(
                $"{what} id '{id}' is not a lower-case kebab code (letters, digits and single hyphens, starting with a letter).", parameter);
        }
    }

    private static void CheckLevel(Category category, IEnumerable<JurisdictionKind> seatKinds, string paramName)
    {
        var kinds = seatKinds.Order().ToList();
        if (!kinds.Contains(category.ResolutionLevel))
        {
            throw new ArgumentException(
                $"Category '{category.Id}': resolution level {category.ResolutionLevel} is not a seat of department '{category.DepartmentId}' (its seats: {string.Join(", ", kinds)}).",
                paramName);
        }
    }

    /// <summary>Refuses to write over a department or category that exists with another origin (a shipped one, say).</summary>
    private static async Task CheckOriginsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Department> departments, List<Category> categories, CancellationToken cancellationToken)
    {
        const string sql = """
            select 'Department', id, origin from catalogue.departments where id = any($1) and origin <> $3
            union all
            select 'Category', id, origin from catalogue.categories where id = any($2) and origin <> $3
            order by 1 desc, 2
            limit 1
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. departments.Select(d => d.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. categories.Select(c => c.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ImportOrigin });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            var what = reader.GetString(0);
            throw new ArgumentException(
                $"{what} '{reader.GetString(1)}' already exists with origin '{reader.GetString(2)}'; the registry only writes its own ('{ImportOrigin}') rows.",
                what == "Department" ? "departments" : "categories");
        }
    }

    /// <summary>Categories whose department is not in the call: it must be stored, with a seat at the category's level.</summary>
    private static async Task CheckStoredDepartmentsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Dictionary<string, Department> departmentsInCall,
        List<Category> categories,
        CancellationToken cancellationToken)
    {
        var elsewhere = categories.Where(c => !departmentsInCall.ContainsKey(c.DepartmentId)).ToList();
        if (elsewhere.Count == 0)
        {
            return;
        }

        const string sql = """
            select d.id, s.kind from catalogue.departments d
            left join catalogue.department_seats s on s.department_id = d.id
            where d.id = any($1)
            """;
        var seatKinds = new Dictionary<string, List<JurisdictionKind>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. elsewhere.Select(c => c.DepartmentId).Distinct(StringComparer.Ordinal)] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                if (!seatKinds.TryGetValue(id, out var kinds))
                {
                    kinds = [];
                    seatKinds[id] = kinds;
                }

                if (!await reader.IsDBNullAsync(1, cancellationToken))
                {
                    kinds.Add(Enum.Parse<JurisdictionKind>(reader.GetString(1)));
                }
            }
        }

        foreach (var category in elsewhere)
        {
            if (!seatKinds.TryGetValue(category.DepartmentId, out var kinds))
            {
                throw new ArgumentException(
                    $"Category '{category.Id}': department '{category.DepartmentId}' exists neither in this call nor in the catalogue.", nameof(categories));
            }

            CheckLevel(category, kinds, nameof(categories));
        }
    }

    /// <summary>
    /// A seat the call takes away from a department must not be the resolution level of a stored category of that
    /// department that the call leaves alone (the database would refuse the delete).
    /// </summary>
    private static async Task CheckRemovedSeatsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Department> departments, HashSet<string> categoriesInCall, CancellationToken cancellationToken)
    {
        if (departments.Count == 0)
        {
            return;
        }

        const string sql = """
            select c.department_id, c.resolution_level, c.id from catalogue.categories c
            where c.department_id = any($1)
            order by c.id
            """;
        var byId = departments.ToDictionary(d => d.Id, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byId.Keys] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var departmentId = reader.GetString(0);
            var level = Enum.Parse<JurisdictionKind>(reader.GetString(1));
            var categoryId = reader.GetString(2);
            if (!categoriesInCall.Contains(categoryId) && !byId[departmentId].SeatTitles.ContainsKey(level))
            {
                throw new ArgumentException(
                    $"Department '{departmentId}': its {level} seat would be removed, but category '{categoryId}' still resolves there.", nameof(departments));
            }
        }
    }

    private static async Task<(int Inserted, int Updated)> UpsertDepartmentsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Department> departments, CancellationToken cancellationToken)
    {
        if (departments.Count == 0)
        {
            return (0, 0);
        }

        const string sql = """
            insert into catalogue.departments as d (id, name, name_hindi, origin)
            select f.id, f.name, f.name_hindi, $4 from unnest($1::text[], $2::text[], $3::text[]) as f(id, name, name_hindi)
            on conflict (id) do update set name = excluded.name, name_hindi = excluded.name_hindi
            where d.origin = excluded.origin and (d.name, d.name_hindi) is distinct from (excluded.name, excluded.name_hindi)
            returning (xmax = 0)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. departments.Select(d => d.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. departments.Select(d => d.Name)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. departments.Select(d => d.NameHindi)] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ImportOrigin });
        return await CatalogueLoader.CountAsync(command, cancellationToken);
    }

    private static async Task<(int Inserted, int Updated)> UpsertSeatsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Department> departments, CancellationToken cancellationToken)
    {
        var seats = departments.SelectMany(d => d.SeatTitles.Select(s => (DepartmentId: d.Id, Kind: s.Key.ToString(), Title: s.Value))).ToList();
        if (seats.Count == 0)
        {
            return (0, 0);
        }

        const string sql = """
            insert into catalogue.department_seats as s (department_id, kind, title)
            select * from unnest($1::text[], $2::text[], $3::text[])
            on conflict (department_id, kind) do update set title = excluded.title
            where s.title is distinct from excluded.title
            returning (xmax = 0)
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.DepartmentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Kind)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Title)] });
        return await CatalogueLoader.CountAsync(command, cancellationToken);
    }

    private static async Task<int> DeleteUnlistedSeatsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<Department> departments, CancellationToken cancellationToken)
    {
        if (departments.Count == 0)
        {
            return 0;
        }

        const string sql = """
            delete from catalogue.department_seats s
            where s.department_id = any($1)
              and not exists (
                select 1 from unnest($2::text[], $3::text[]) as f(department_id, kind)
                where f.department_id = s.department_id and f.kind = s.kind)
            """;
        var seats = departments.SelectMany(d => d.SeatTitles.Keys.Select(k => (DepartmentId: d.Id, Kind: k.ToString()))).ToList();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. departments.Select(d => d.Id)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.DepartmentId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. seats.Select(s => s.Kind)] });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue registry: {Departments} departments ({DepartmentsInserted} inserted, {DepartmentsUpdated} updated), seats {SeatsInserted} inserted, {SeatsUpdated} updated, {SeatsDeleted} deleted, {Categories} categories ({CategoriesInserted} inserted, {CategoriesUpdated} updated)")]
    private partial void LogUpserted(
        int departments, int departmentsInserted, int departmentsUpdated, int seatsInserted, int seatsUpdated, int seatsDeleted,
        int categories, int categoriesInserted, int categoriesUpdated);
}
