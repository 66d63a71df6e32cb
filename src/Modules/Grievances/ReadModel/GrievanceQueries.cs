using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Helpline.Officers.Workload;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.Grievances.ReadModel;

/// <summary>Reads of the grievance read model.</summary>
internal sealed class GrievanceQueries(NpgsqlDataSource dataSource, TimeProvider clock) : IOfficerCaseload
{
    private const string SummaryColumns = """
        reference_number, kind, status, category_id, department_id, jurisdiction_id, position_id, officer_id, level,
        complainant_name, registered_at, due_at, breached, breached_at_top, closed_at, on_hold_since
        """;

    /// <summary>The grain key of the grievance with this (normalised) reference number, or null.</summary>
    public async Task<string?> GrainKeyOfAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("select grain_key from grievances.grievance where reference_number = $1");
        cmd.Parameters.AddWithValue(referenceNumber);
        return (string?)await cmd.ExecuteScalarAsync(cancellationToken);
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

    /// <summary>Each (position, holding officer) pair that has open grievances.</summary>
    public async Task<IReadOnlyList<(string PositionId, string OfficerId)>> OpenHoldingsAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "select distinct position_id, officer_id from grievances.grievance where status = 'Open'");
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
        await using var cmd = dataSource.CreateCommand(
            "select distinct officer_id from grievances.grievance where status = 'Open' and due_at is not null");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    public async Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken, CallerScope? scope = null)
    {
        if (first is < 1 or > 100)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'first' must be between 1 and 100; it was {first}.", "first");
        }

        var where = new List<string>();
        await using var cmd = dataSource.CreateCommand();
        void Add(string clause, object value)
        {
            var name = "p" + cmd.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            cmd.Parameters.AddWithValue(name, value);
            where.Add(clause.Replace("?", "@" + name, StringComparison.Ordinal));
        }

        ScopeSql.Add(scope, Add);
        if (filter.Status is { } status)
        {
            Add("status = ?", status.ToString());
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

        var countWhere = where.Count == 0 ? "" : "where " + string.Join(" and ", where);
        var pageWhere = new List<string>(where);
        if (after is not null)
        {
            var (at, reference) = DecodeCursor(after);
            cmd.Parameters.AddWithValue("after_at", at);
            cmd.Parameters.AddWithValue("after_ref", reference);
            pageWhere.Add("(registered_at, reference_number) < (@after_at, @after_ref)");
        }

        var pageClause = pageWhere.Count == 0 ? "" : "where " + string.Join(" and ", pageWhere);
        cmd.CommandText =
            $"select {SummaryColumns} from grievances.grievance {pageClause} order by registered_at desc, reference_number desc limit {first + 1};" +
            $"select count(*) from grievances.grievance {countWhere}";

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
                reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15));
            items.Add((s, EncodeCursor(s.RegisteredAt, s.ReferenceNumber)));
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

    private static string EncodeCursor(DateTimeOffset at, string reference) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(at.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + reference));

    private static (DateTimeOffset At, string Reference) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var ticks = long.Parse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
            return (new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new HelplineException(ErrorCodes.Invalid, "'after' is not a cursor returned by this list.", "after");
        }
    }
}
