using System.Collections.Frozen;
using System.Data;
using Helpline.Jurisdictions;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>
/// The in-memory <see cref="ICatalogue"/>: an immutable snapshot of the <c>catalogue</c> schema, replaced atomically
/// by <see cref="RefreshAsync"/>. The database is the source of truth; the loader refreshes after loading the shipped
/// files, and whatever edits the database later (an administrator's change, an import) refreshes again.
/// Until the first refresh the catalogue is empty.
/// </summary>
/// <remarks>
/// A category's state is its base row overlaid by the administrative changes (<c>catalogue.category_change</c>) whose
/// effective instant has come on the injected clock, the latest effective winning; one an administrator added does
/// not exist before its add takes effect. The view therefore changes with time as well as on refresh: it is computed
/// for the current instant and kept until the clock reaches the next pending effective instant.
/// Retired categories are left out of <see cref="Categories"/>, the list new grievances choose from, but
/// <see cref="FindCategory"/> still resolves them so that grievances already registered under one keep working.
/// </remarks>
internal sealed class CatalogueStore(NpgsqlDataSource dataSource, TimeProvider? clock = null) : ICatalogue
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _lastRead;
    private Snapshot _snapshot = Snapshot.Empty;

    /// <inheritdoc />
    public IReadOnlyList<Department> Departments => Volatile.Read(ref _snapshot).Departments;

    /// <inheritdoc />
    public IReadOnlyList<Category> Categories => View.Active;

    /// <inheritdoc />
    public Department? FindDepartment(string id) => Volatile.Read(ref _snapshot).DepartmentsById.GetValueOrDefault(id);

    /// <inheritdoc />
    public Category? FindCategory(string id) => id is null ? null : View.ById.GetValueOrDefault(id);

    /// <inheritdoc />
    public bool IsRetired(string categoryId) => categoryId is not null && View.Retired.Contains(categoryId);

    /// <summary>The categories in force now: the snapshot's cached view, recomputed once the clock has left it.</summary>
    private CatalogueView View
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            var now = _clock.GetUtcNow();
            var view = Volatile.Read(ref snapshot.View);
            if (!view.Covers(now))
            {
                // Two threads may both recompute; either result is right for its instant.
                view = CatalogueView.At(now, snapshot.Timelines, snapshot.DepartmentsById);
                Volatile.Write(ref snapshot.View, view);
            }

            return view;
        }
    }

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

        var bases = await ReadBasesAsync(connection, transaction, cancellationToken);
        var changes = await ReadChangesAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var timelines = bases.Keys.Union(changes.Keys)
            .Select(id => new CategoryTimeline(bases.GetValueOrDefault(id), changes.TryGetValue(id, out var list) ? list : []))
            .ToArray();
        return Snapshot.Create(sequence, departments, timelines);
    }

    /// <summary>The base rows (an added category's row is only its add's shadow: its state comes from its changes).</summary>
    internal static async Task<Dictionary<string, CategoryState>> ReadBasesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken, string? onlyId = null)
    {
        const string sql = """
            select id, name, name_hindi, keywords, department_id, resolution_level, sla_l1_days, sla_l2_days, sla_l3_days, sla_l4_days,
                   source, retired_at is not null, replaced_by
            from catalogue.categories
            where origin <> 'admin' and ($1::text is null or id = $1)
            """;
        var bases = new Dictionary<string, CategoryState>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = onlyId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var state = new CategoryState(
                reader.GetString(0),
                reader.GetString(1),
                await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetString(4),
                Enum.Parse<JurisdictionKind>(reader.GetString(5)),
                [reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)],
                reader.GetString(10),
                reader.GetBoolean(11),
                await reader.IsDBNullAsync(12, cancellationToken) ? null : reader.GetString(12));
            bases[state.Id] = state;
        }

        return bases;
    }

    private static async Task<Dictionary<string, List<(DateTimeOffset, CategoryState)>>> ReadChangesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const string sql = "select category_id, effective_at, after::text from catalogue.category_change order by category_id, effective_at, id";
        var changes = new Dictionary<string, List<(DateTimeOffset, CategoryState)>>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (!changes.TryGetValue(id, out var list))
            {
                list = [];
                changes[id] = list;
            }

            list.Add((reader.GetFieldValue<DateTimeOffset>(1), CatalogueJson.Read(reader.GetString(2))));
        }

        return changes;
    }

    /// <summary>One immutable, internally consistent read of the catalogue, with the view for the last instant asked.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = Create(0, [], []);

        // Replaced (never mutated) when the clock leaves it; see CatalogueStore.View.
        public CatalogueView View;

        private Snapshot(long sequence, IReadOnlyList<Department> departments, FrozenDictionary<string, Department> departmentsById, IReadOnlyList<CategoryTimeline> timelines)
        {
            Sequence = sequence;
            Departments = departments;
            DepartmentsById = departmentsById;
            Timelines = timelines;
            View = CatalogueView.None;
        }

        public long Sequence { get; }

        public IReadOnlyList<Department> Departments { get; }

        public FrozenDictionary<string, Department> DepartmentsById { get; }

        public IReadOnlyList<CategoryTimeline> Timelines { get; }

        public static Snapshot Create(long sequence, IEnumerable<Department> departments, IReadOnlyList<CategoryTimeline> timelines)
        {
            var departmentList = departments
                .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToArray();
            return new Snapshot(sequence, Array.AsReadOnly(departmentList), departmentList.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal), timelines);
        }
    }
}
