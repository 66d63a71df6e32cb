using System.Collections.Frozen;
using System.Data;
using Helpline.Jurisdictions;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>
/// The in-memory <see cref="ICatalogue"/>: an immutable snapshot of the <c>catalogue</c> schema, replaced atomically
/// by <see cref="RefreshAsync"/>. The database is the source of truth; the loader refreshes after loading the shipped
/// files, and whatever edits the database later (an admin retiring or remapping a category) refreshes again.
/// Until the first refresh the catalogue is empty.
/// </summary>
/// <remarks>
/// Retired categories (<c>retired_at</c> set) are left out of <see cref="Categories"/>, the list new grievances choose
/// from, but <see cref="FindCategory"/> still resolves them so that grievances already registered under one keep
/// their department, resolution level and SLA.
/// </remarks>
internal sealed class CatalogueStore(NpgsqlDataSource dataSource) : ICatalogue
{
    private long _lastRead;
    private Snapshot _snapshot = Snapshot.Empty;

    /// <inheritdoc />
    public IReadOnlyList<Department> Departments => Volatile.Read(ref _snapshot).Departments;

    /// <inheritdoc />
    public IReadOnlyList<Category> Categories => Volatile.Read(ref _snapshot).ActiveCategories;

    /// <inheritdoc />
    public Department? FindDepartment(string id) => Volatile.Read(ref _snapshot).DepartmentsById.GetValueOrDefault(id);

    /// <inheritdoc />
    public Category? FindCategory(string id) => Volatile.Read(ref _snapshot).CategoriesById.GetValueOrDefault(id);

    /// <summary>True when the category exists and is retired.</summary>
    public bool IsRetired(string categoryId) => Volatile.Read(ref _snapshot).Retired.Contains(categoryId);

    /// <summary>
    /// Reads the whole catalogue from the database in one consistent read and swaps it in. Concurrent refreshes are
    /// safe: a read that started earlier never replaces one that started later.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _lastRead);
        var fresh = await ReadAsync(sequence, cancellationToken);
        while (true)
        {
            var current = Volatile.Read(ref _snapshot);
            if (current.Sequence > fresh.Sequence
                || ReferenceEquals(Interlocked.CompareExchange(ref _snapshot, fresh, current), current))
            {
                return;
            }
        }
    }

    private async Task<Snapshot> ReadAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        var seats = new Dictionary<string, Dictionary<JurisdictionKind, string>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("select department_id, kind, title from catalogue.department_seats", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var departmentId = reader.GetString(0);
                if (!seats.TryGetValue(departmentId, out var titles))
                {
                    titles = [];
                    seats[departmentId] = titles;
                }

                titles[Enum.Parse<JurisdictionKind>(reader.GetString(1))] = reader.GetString(2);
            }
        }

        var departments = new List<Department>();
        await using (var command = new NpgsqlCommand("select id, name, name_hindi from catalogue.departments", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                departments.Add(new Department(
                    id,
                    reader.GetString(1),
                    await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2),
                    seats.GetValueOrDefault(id) ?? new Dictionary<JurisdictionKind, string>()));
            }
        }

        var categories = new List<(Category Category, bool Retired)>();
        const string categorySql = """
            select id, name, department_id, resolution_level, sla_l1_days, sla_l2_days, sla_l3_days, sla_l4_days, source,
                   retired_at is not null
            from catalogue.categories
            """;
        await using (var command = new NpgsqlCommand(categorySql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var category = new Category(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    Enum.Parse<JurisdictionKind>(reader.GetString(3)),
                    new SlaPolicy([reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7)]),
                    reader.GetString(8));
                categories.Add((category, reader.GetBoolean(9)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return Snapshot.Create(sequence, departments, categories);
    }

    /// <summary>One immutable, internally consistent view of the catalogue.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = Create(0, [], []);

        private Snapshot(
            long sequence,
            IReadOnlyList<Department> departments,
            IReadOnlyList<Category> activeCategories,
            FrozenDictionary<string, Department> departmentsById,
            FrozenDictionary<string, Category> categoriesById,
            FrozenSet<string> retired)
        {
            Sequence = sequence;
            Departments = departments;
            ActiveCategories = activeCategories;
            DepartmentsById = departmentsById;
            CategoriesById = categoriesById;
            Retired = retired;
        }

        public long Sequence { get; }

        public IReadOnlyList<Department> Departments { get; }

        public IReadOnlyList<Category> ActiveCategories { get; }

        public FrozenDictionary<string, Department> DepartmentsById { get; }

        public FrozenDictionary<string, Category> CategoriesById { get; }

        public FrozenSet<string> Retired { get; }

        public static Snapshot Create(long sequence, IEnumerable<Department> departments, IEnumerable<(Category Category, bool Retired)> categories)
        {
            var departmentList = departments
                .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToArray();
            var departmentsById = departmentList.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);
            var all = categories.ToArray();
            var active = all
                .Where(c => !c.Retired)
                .Select(c => c.Category)
                .OrderBy(c => departmentsById.GetValueOrDefault(c.DepartmentId)?.Name ?? c.DepartmentId, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.DepartmentId, StringComparer.Ordinal)
                .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(c => c.Id, StringComparer.Ordinal)
                .ToArray();
            return new Snapshot(
                sequence,
                Array.AsReadOnly(departmentList),
                Array.AsReadOnly(active),
                departmentsById,
                all.ToFrozenDictionary(c => c.Category.Id, c => c.Category, StringComparer.Ordinal),
                all.Where(c => c.Retired).Select(c => c.Category.Id).ToFrozenSet(StringComparer.Ordinal));
        }
    }
}
