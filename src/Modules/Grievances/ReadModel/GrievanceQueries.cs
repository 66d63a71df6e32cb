using System.Buffers.Text;
using System.Globalization;
using System.Text;
using BitFaster.Caching.Lru;
using Helpline.Officers.Workload;
using Helpline.Platform.Access;
using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.Grievances.ReadModel;

/// <summary>Reads of the grievance read model.</summary>
internal sealed class GrievanceQueries(NpgsqlDataSource dataSource, TimeProvider clock) : IOfficerCaseload
{
    /// <summary>How many reference numbers' grain keys a silo keeps, the most recently used: about 25 MB with client request ids of 36 characters.</summary>
    internal const int GrainKeysKept = 100_000;

    private const string SummaryColumns = """
        reference_number, kind, status, category_id, department_id, jurisdiction_id, position_id, officer_id, level,
        complainant_name, registered_at, due_at, breached, breached_at_top, closed_at, on_hold_since
        """;

    // A reference number names one grain for good once its row is committed (rows are never deleted and the grain key
    // is never updated), so what any silo read stays true everywhere: a grievance looked up again skips the database.
    // Only found keys are kept: a number not committed yet may be by the next lookup.
    private readonly ConcurrentLru<string, string> _grainKeys = new(GrainKeysKept);

    /// <summary>The grain key of the grievance with this (normalised) reference number, or null.</summary>
    public async Task<string?> GrainKeyOfAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        if (_grainKeys.TryGet(referenceNumber, out var known))
        {
            return known;
        }

        // Prepared: planned afresh, this lookup spent seven times as long choosing among the table's indexes as reading.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var lookup = new NpgsqlBatchCommand("select grain_key from grievances.grievance where reference_number = $1");
        lookup.Parameters.Add(new NpgsqlParameter<string> { TypedValue = referenceNumber });
        batch.BatchCommands.Add(lookup);
        await batch.PrepareAsTransactionByKeyAsync(cancellationToken);
        var key = (string?)await batch.ExecuteScalarAsync(cancellationToken);
        if (key is not null)
        {
            _grainKeys.AddOrUpdate(referenceNumber, key);
        }

        return key;
    }

    public async Task<IReadOnlyList<TrackedGrievance>> OpenGrievancesOfAsync(string officerId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select grain_key, reference_number, due_at, breached_at_top, at_risk_at, on_hold_since, at_risk_announced, position_id, level, department_id, category_id, jurisdiction_id, registered_at from grievances.grievance where officer_id = $1 and status = 'Open' and due_at is not null");
        cmd.Parameters.AddWithValue(officerId);
        return await ReadTrackedAsync(cmd, cancellationToken);
    }

    private static async Task<IReadOnlyList<TrackedGrievance>> ReadTrackedAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<TrackedGrievance>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Tracked(reader));
        }

        return list;
    }

    private static TrackedGrievance Tracked(NpgsqlDataReader reader)
    {
        var onHold = !reader.IsDBNull(5);
        return new TrackedGrievance(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetFieldValue<DateTimeOffset>(2),
            !reader.GetBoolean(3) && !onHold,
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            onHold,
            reader.GetBoolean(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetString(10),
            reader.GetString(11),
            reader.GetFieldValue<DateTimeOffset>(12));
    }

    public async Task<IReadOnlyList<(string GrievanceKey, DateTimeOffset At)>> DisposalsOfAsync(string officerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select grain_key, closed_at from grievances.grievance where officer_id = $1 and closed_at >= $2 and status in ('Resolved', 'Rejected', 'SpeciallyClosed', 'Closed')");
        cmd.Parameters.AddWithValue(officerId);
        cmd.Parameters.AddWithValue(since.ToUniversalTime());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return list;
    }

    public async Task<IReadOnlyList<IReadOnlyList<TrackedGrievance>>> OpenGrievancesOfAsync(IReadOnlyList<string> officerIds, CallerScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(officerIds);
        await using var cmd = dataSource.CreateCommand();
        var where = new List<string> { "officer_id = any(@officers)", "status = 'Open'", "due_at is not null" };
        cmd.Parameters.AddWithValue("officers", officerIds.ToArray());
        ScopeSql.Add(scope, (clause, value) =>
        {
            var name = "s" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            where.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        });
        cmd.CommandText = "select grain_key, reference_number, due_at, breached_at_top, at_risk_at, on_hold_since, at_risk_announced, position_id, level, department_id, category_id, jurisdiction_id, registered_at, officer_id from grievances.grievance where "
            + string.Join(" and ", where);
        var byOfficer = officerIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new List<TrackedGrievance>(), StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byOfficer[reader.GetString(13)].Add(Tracked(reader));
        }

        return [.. officerIds.Select(id => (IReadOnlyList<TrackedGrievance>)byOfficer[id])];
    }

    public async Task<IReadOnlySet<string>> VisibleAsync(IReadOnlyCollection<string> referenceNumbers, CallerScope scope, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand();
        var where = new List<string> { "reference_number = any(@refs)" };
        cmd.Parameters.AddWithValue("refs", referenceNumbers.ToArray());
        ScopeSql.Add(scope, (clause, value) =>
        {
            var name = "s" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            where.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        });
        cmd.CommandText = "select reference_number from grievances.grievance where " + string.Join(" and ", where);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var visible = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            visible.Add(reader.GetString(0));
        }

        return visible;
    }

    /// <summary>Grain keys of the open grievances of a category.</summary>
    public async Task<IReadOnlyList<string>> OpenGrainKeysOfCategoryAsync(string categoryId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select grain_key from grievances.grievance where category_id = $1 and status = 'Open'");
        cmd.Parameters.AddWithValue(categoryId);
        return await ReadKeysAsync(cmd, cancellationToken);
    }

    /// <summary>Grain keys of the open grievances at a position held by anyone but <paramref name="exceptOfficerId"/>.</summary>
    public async Task<IReadOnlyList<string>> OpenGrainKeysAtPositionAsync(string positionId, string exceptOfficerId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select grain_key from grievances.grievance where position_id = $1 and status = 'Open' and officer_id <> $2");
        cmd.Parameters.AddWithValue(positionId);
        cmd.Parameters.AddWithValue(exceptOfficerId);
        return await ReadKeysAsync(cmd, cancellationToken);
    }

    /// <summary>The officers holding open grievances at a position (for a pool's handover: those who no longer serve it).</summary>
    public async Task<IReadOnlyList<string>> OpenHoldersAtAsync(string positionId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select distinct officer_id from grievances.grievance where position_id = $1 and status = 'Open'");
        cmd.Parameters.AddWithValue(positionId);
        return await ReadKeysAsync(cmd, cancellationToken);
    }

    /// <summary>Grain keys of the open grievances at a position held by <paramref name="officerId"/>.</summary>
    public async Task<IReadOnlyList<string>> OpenGrainKeysHeldAtAsync(string positionId, string officerId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select grain_key from grievances.grievance where position_id = $1 and status = 'Open' and officer_id = $2");
        cmd.Parameters.AddWithValue(positionId);
        cmd.Parameters.AddWithValue(officerId);
        return await ReadKeysAsync(cmd, cancellationToken);
    }

    // The sweeps ask for a few thousand distinct holders among every open grievance, every minute or two. A plain
    // "select distinct" reads all of them (740 ms at 1,000,000 open, each run, competing with the escalations it
    // backs up); these hop from one holder to the next along an index of open rows (grievance_open_position_idx,
    // grievance_open_officer_idx), one short descent a holder.
    private const string OpenHoldingsSql = """
        with recursive h as (
            (select position_id, officer_id from grievances.grievance
             where status = 'Open' order by position_id, officer_id limit 1)
            union all
            select n.position_id, n.officer_id from h cross join lateral (
                select g.position_id, g.officer_id from grievances.grievance g
                where g.status = 'Open' and (g.position_id, g.officer_id) > (h.position_id, h.officer_id)
                order by g.position_id, g.officer_id limit 1) n
        )
        select position_id, officer_id from h
        """;

    private const string OfficersWithOpenDeadlinesSql = """
        with recursive o as (
            (select officer_id from grievances.grievance
             where status = 'Open' and due_at is not null order by officer_id limit 1)
            union all
            select n.officer_id from o cross join lateral (
                select g.officer_id from grievances.grievance g
                where g.status = 'Open' and g.due_at is not null and g.officer_id > o.officer_id
                order by g.officer_id limit 1) n
        )
        select officer_id from o
        """;

    /// <summary>Each (position, holding officer) pair that has open grievances.</summary>
    public async Task<IReadOnlyList<(string PositionId, string OfficerId)>> OpenHoldingsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(OpenHoldingsSql);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    private static async Task<IReadOnlyList<string>> ReadKeysAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>Officers holding at least one open grievance with a due date, for re-arming deadlines after a restart.</summary>
    public async Task<IReadOnlyList<string>> OfficersWithOpenDeadlinesAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(OfficersWithOpenDeadlinesSql);
        return await ReadKeysAsync(cmd, cancellationToken);
    }

    /// <summary>The largest page a list answers: larger ones are refused (INVALID_VALUE at <c>first</c>), not cut.</summary>
    public const int MaxPage = 100;

    public async Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken, CallerScope? scope = null, GrievanceOrder? order = null)
    {
        order ??= GrievanceOrder.Default;
        if (first is < 1 or > MaxPage)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'first' must be between 1 and {MaxPage}; it was {first}.", "first");
        }

        await using var read = await SerialReadAsync(cancellationToken);
        await using var cmd = read.CreateCommand();
        var where = Conditions(cmd, filter, scope);
        var key = order.Field switch
        {
            GrievanceOrderField.DueAt => "coalesce(due_at, 'infinity'::timestamptz)",
            GrievanceOrderField.LastChangedAt => "last_changed_at",
            _ => "registered_at",
        };
        var direction = order.Descending ? "desc" : "asc";
        var pageWhere = new List<string>(where);
        if (after is not null)
        {
            var (tag, at, reference) = DecodeCursor(after);
            if (tag != Tag(order))
            {
                throw new HelplineException(
                    GrievanceErrorCodes.CursorOrderMismatch, "'after' is a cursor of a list in another order; ask for the first page again in this order.", "after");
            }

            cmd.Parameters.AddWithValue("after_ref", reference);
            var atSql = "'infinity'::timestamptz";
            if (at is { } instant)
            {
                cmd.Parameters.AddWithValue("after_at", instant);
                atSql = "@after_at";
            }

            pageWhere.Add($"({key}, reference_number) {(order.Descending ? "<" : ">")} ({atSql}, @after_ref)");
        }

        var pageClause = pageWhere.Count == 0 ? "" : "where " + string.Join(" and ", pageWhere);
        cmd.CommandText =
            $"select {SummaryColumns}, last_changed_at from grievances.grievance {pageClause} order by {key} {direction}, reference_number {direction} limit {first + 1};" +
            CountSql(cmd, filter, scope, where);

        var items = new List<(GrievanceSummary, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var s = new GrievanceSummary(
                reader.GetString(0),
                Enum.Parse<GrievanceKind>(reader.GetString(1)),
                Enum.Parse<GrievanceStatus>(reader.GetString(2)),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetInt32(8),
                reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.GetBoolean(12),
                reader.GetBoolean(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
                reader.GetFieldValue<DateTimeOffset>(16));
            var cursorKey = order.Field switch
            {
                GrievanceOrderField.DueAt => s.DueAt,
                GrievanceOrderField.LastChangedAt => s.LastChangedAt,
                _ => s.RegisteredAt,
            };
            items.Add((s, EncodeCursor(Tag(order), cursorKey, s.ReferenceNumber)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        var hasNext = items.Count > first;
        if (hasNext)
        {
            items.RemoveAt(items.Count - 1);
        }

        return new GrievancePage(items, hasNext, total);
    }

    /// <summary>Figures by department within the scope, for a dashboard (see <see cref="IGrievanceService.DashboardAsync"/>).</summary>
    public async Task<GrievanceDashboard> DashboardAsync(string? jurisdictionId, string? departmentId, CancellationToken cancellationToken, CallerScope? scope = null)
    {
        var now = clock.GetUtcNow();
        var filter = new GrievanceFilter(DepartmentId: departmentId, JurisdictionId: jurisdictionId);
        await using var read = await SerialReadAsync(cancellationToken);
        await using var cmd = read.CreateCommand();
        var where = Conditions(cmd, filter, scope);
        cmd.Parameters.AddWithValue("now", now);
        var and = where.Count == 0 ? "" : " and " + string.Join(" and ", where);
        var statuses = CountsCovered(filter, scope) is { } node
            ? $"""
               select department_id, status, on_hold, sum(n)::bigint from (
                   {CountRowsSql(cmd, filter, scope, node, "department_id, status, on_hold, n")}) c
               group by 1, 2, 3 having sum(n) <> 0
               """
            : $"""
               select department_id, status, status = 'Open' and on_hold_since is not null, count(*) from grievances.grievance
               where true{and} group by 1, 2, 3
               """;

        // The same conditions as the overdue and atRisk filters (Overdue.Is), so a dashboard's figure and the list
        // behind it agree; each is one range of its partial index.
        cmd.CommandText = statuses + ";" +
            $"select department_id, count(*) from grievances.grievance where status = 'Open' and on_hold_since is null and due_at < @now{and} group by 1;" +
            $"select department_id, count(*) from grievances.grievance where status = 'Open' and on_hold_since is null and not breached_at_top and due_at > at_risk_at and at_risk_at <= @now{and} group by 1";

        var byStatus = new Dictionary<string, Dictionary<GrievanceStatus, long>>(StringComparer.Ordinal);
        var onHold = new Dictionary<string, long>(StringComparer.Ordinal);
        var overdue = new Dictionary<string, long>(StringComparer.Ordinal);
        var atRisk = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (dept, status, held, n) = (reader.GetString(0), Enum.Parse<GrievanceStatus>(reader.GetString(1)), reader.GetBoolean(2), reader.GetInt64(3));
            var counts = byStatus.TryGetValue(dept, out var c) ? c : byStatus[dept] = [];
            counts[status] = counts.GetValueOrDefault(status) + n;
            if (held)
            {
                onHold[dept] = onHold.GetValueOrDefault(dept) + n;
            }
        }

        foreach (var target in new[] { overdue, atRisk })
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                target[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var departments = byStatus.Keys.Order(StringComparer.Ordinal)
            .Select(d => (d, new DashboardFigures(byStatus[d], overdue.GetValueOrDefault(d), atRisk.GetValueOrDefault(d), onHold.GetValueOrDefault(d))))
            .ToList();
        var total = new DashboardFigures(
            departments.SelectMany(d => d.Item2.ByStatus).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value)),
            overdue.Values.Sum(),
            atRisk.Values.Sum(),
            onHold.Values.Sum());
        return new GrievanceDashboard(now, total, departments);
    }

    // A connection for one list or dashboard read, without parallel workers. The planner over-estimates the overdue and
    // at-risk ranges (it cannot know that most past due dates belong to disposed rows) and starts workers for
    // counts that read a few thousand index entries: on a busy 2-core machine starting them cost more than the whole
    // serial scan (list-bench: a state dashboard p99 610 ms with workers, its statements 120 ms without). The setting
    // is local to a read-only transaction that disposing rolls back: pooled connections are not reset when returned
    // (DatabasePool), so a session setting would outlive the read.
    private async Task<SerialRead> SerialReadAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var set = new NpgsqlCommand("set local max_parallel_workers_per_gather = 0", connection, transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
            return new SerialRead(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class SerialRead(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlCommand CreateCommand() => new() { Connection = connection, Transaction = transaction };

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    // The list's conditions, scope first; each value bound as a parameter of cmd.
    private List<string> Conditions(NpgsqlCommand cmd, GrievanceFilter filter, CallerScope? scope)
    {
        var where = new List<string>();
        void Add(string clause, object value)
        {
            var name = "p" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            where.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        }

        ScopeSql.Add(scope, Add);
        if (filter.Status is { } status)
        {
            // A literal, not a parameter: a generic plan cannot use the partial indexes on open grievances, and an
            // enum's name is safe SQL.
            where.Add($"status = '{status}'");
        }

        if (filter.ComplainantMobile is { } mobile)
        {
            Add("complainant_mobile = ?", mobile);
        }

        if (filter.DepartmentId is { } dept)
        {
            Add("department_id = ?", dept);
        }

        if (filter.CategoryId is { } cat)
        {
            Add("category_id = ?", cat);
        }

        if (filter.JurisdictionId is { } jid)
        {
            Add("jurisdiction_path @> array[?]::text[]", jid);
        }

        if (filter.OfficerId is { } officer)
        {
            Add("officer_id = ?", officer);
        }

        if (filter.AtRisk is { } atRisk)
        {
            Add(atRisk
                ? "(status = 'Open' and on_hold_since is null and at_risk_at <= ? and due_at > at_risk_at and not breached_at_top)"
                : "not coalesce(status = 'Open' and on_hold_since is null and at_risk_at <= ? and due_at > at_risk_at and not breached_at_top, false)", clock.GetUtcNow());
        }

        if (filter.OnHold is { } onHold)
        {
            where.Add(onHold ? "(status = 'Open' and on_hold_since is not null)" : "not (status = 'Open' and on_hold_since is not null)");
        }

        if (filter.Breached is { } breached)
        {
            Add("breached = ?", breached);
        }

        if (filter.Overdue is { } overdue)
        {
            // Overdue.Is in SQL: open, clock running (not on hold), strictly after the due instant.
            Add(overdue
                ? "(status = 'Open' and on_hold_since is null and due_at < ?)"
                : "not coalesce(status = 'Open' and on_hold_since is null and due_at < ?, false)", clock.GetUtcNow());
        }

        if (filter.Channel is { } channel)
        {
            Add("channel = ?", channel.ToString());
        }

        if (filter.Kind is { } kind)
        {
            Add("kind = ?", kind.ToString());
        }

        if (filter.Level is { } level)
        {
            Add("level = ?", level);
        }

        // Inclusive start, exclusive end: consecutive ranges never count a grievance twice.
        foreach (var (column, range) in new[]
                 {
                     ("registered_at", filter.Registered), ("due_at", filter.Due), ("closed_at", filter.Disposed), ("final_closed_at", filter.Closed),
                 })
        {
            if (range?.From is { } from)
            {
                Add($"{column} >= ?", from.ToUniversalTime());
            }

            if (range?.Before is { } before)
            {
                Add($"{column} < ?", before.ToUniversalTime());
            }
        }

        return where;
    }

    // The jurisdiction whose maintained counts answer this filter within this scope ('*' for everywhere), or null when
    // they cannot: a filter on anything but place, department, status, level and hold, or a scope limited to officers,
    // seats, several places (whose counts could overlap) or none (a limit that left nothing). Those lists are narrow by nature (an officer's, a team's)
    // or ask for a condition no stored count can hold (overdue, an instant range): their rows are counted.
    private static string? CountsCovered(GrievanceFilter filter, CallerScope? scope)
    {
        if (filter with { Status = null, DepartmentId = null, JurisdictionId = null, OnHold = null, Level = null } != new GrievanceFilter())
        {
            return null;
        }

        if (scope is { HolderOfficerId: not null } or { Positions: not null } or { Jurisdictions.Count: not 1 })
        {
            return null;
        }

        return (scope?.Jurisdictions?.Single(), filter.JurisdictionId) switch
        {
            (null, null) => "*",
            (null, { } f) => f,
            ({ } s, null) => s,
            _ => null,
        };
    }

    private static string CountSql(NpgsqlCommand cmd, GrievanceFilter filter, CallerScope? scope, List<string> where) =>
        CountsCovered(filter, scope) is { } node
            ? $"select coalesce(sum(n), 0)::bigint from ({CountRowsSql(cmd, filter, scope, node, "n")}) c"
            : $"select count(*) from grievances.grievance {(where.Count == 0 ? "" : "where " + string.Join(" and ", where))}";

    // The maintained counts of node and the deltas not yet folded into them, under the same conditions.
    private static string CountRowsSql(NpgsqlCommand cmd, GrievanceFilter filter, CallerScope? scope, string node, string columns)
    {
        var where = new List<string>();
        void Add(string clause, object value)
        {
            var name = "c" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            where.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        }

        if (scope?.Departments is { } departments)
        {
            Add("department_id = any(?)", departments.ToArray());
        }

        if (filter.DepartmentId is { } dept)
        {
            Add("department_id = ?", dept);
        }

        if (filter.Status is { } status)
        {
            Add("status = ?", status.ToString());
        }

        if (filter.Level is { } level)
        {
            Add("level = ?", level);
        }

        if (filter.OnHold is { } onHold)
        {
            Add("on_hold = ?", onHold);
        }

        var name = "c" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        cmd.Parameters.AddWithValue(name, node);
        var and = string.Concat(where.Select(w => " and " + w));
        var deltaWhere = node == "*" ? "true" : $"jurisdiction_path @> array[@{name}]::text[]";
        return $"select {columns} from grievances.grievance_count where node = @{name}{and} " +
            $"union all select {columns} from grievances.grievance_count_delta where {deltaWhere}{and}";
    }

    /// <summary>
    /// Folds the deltas appended since the last fold into the maintained counts, in one transaction; false when another
    /// silo is folding right now (its fold takes these deltas too).
    /// </summary>
    public async Task<bool> FoldCountsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtext('grievances.grievance_count'))", conn, tx))
        {
            if (!(bool)(await lockCmd.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        await using var fold = new NpgsqlCommand(
            """
            with d as (delete from grievances.grievance_count_delta returning *)
            insert into grievances.grievance_count as c (node, department_id, status, level, on_hold, n)
            select node, department_id, status, level, on_hold, sum(n)
            from d cross join lateral unnest(d.jurisdiction_path || '*'::text) as node
            group by 1, 2, 3, 4, 5
            on conflict (node, department_id, status, level, on_hold) do update set n = c.n + excluded.n
            """, conn, tx);
        await fold.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The delta table's size in pages. A fold reads the whole table, empty pages and all: after a large fold they stay
    /// until a vacuum gives them back, so until then every fold (and every count) pays for the largest batch ever folded.
    /// </summary>
    public async Task<long> CountDeltaPagesAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select pg_relation_size('grievances.grievance_count_delta') / current_setting('block_size')::int");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Vacuums the delta table, giving its emptied pages back. Autovacuum would too, but a minute or more later. A
    /// vacuum frees nothing while a transaction that began before the fold's commit still runs, and skips the table
    /// while another session holds it (a vacuum, an analyze, an index build) rather than queue behind it, so a caller
    /// checks the size again after a later fold.
    /// </summary>
    public async Task ShrinkCountDeltasAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("vacuum (skip_locked) grievances.grievance_count_delta");
        cmd.CommandTimeout = 300;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Tag(GrievanceOrder order) => order.Field switch
    {
        GrievanceOrderField.DueAt => "D",
        GrievanceOrderField.LastChangedAt => "C",
        _ => "R",
    } + (order.Descending ? "-" : "+");

    // "tag:ticks:reference", ticks "-" for no instant (a grievance without a due date). Cursors made before lists had
    // orders were "ticks:reference", newest registration first: still read as such.
    private static string EncodeCursor(string tag, DateTimeOffset? at, string reference) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            tag + ":" + (at is { } a ? a.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-") + ":" + reference));

    private static (string Tag, DateTimeOffset? At, string Reference) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var tag = "R-";
            if (text.Length > 2 && text[2] == ':' && char.IsAsciiLetterUpper(text[0]))
            {
                tag = text[..2];
                text = text[3..];
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            DateTimeOffset? at = text.AsSpan(0, colon) is "-"
                ? null
                : new DateTimeOffset(long.Parse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero);
            return (tag, at, text[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new HelplineException(ErrorCodes.Invalid, "'after' is not a cursor returned by this list.", "after");
        }
    }
}
