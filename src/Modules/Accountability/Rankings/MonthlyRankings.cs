using System.Text.Json;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Rankings;

/// <summary>The level of offices a ranking compares.</summary>
public enum RankingLevel
{
    /// <summary>Officers.</summary>
    Officer = 0,

    /// <summary>Tehsils (by where the grievance lies).</summary>
    Tehsil = 1,

    /// <summary>Blocks.</summary>
    Block = 2,

    /// <summary>Districts.</summary>
    District = 3,

    /// <summary>Departments.</summary>
    Department = 4,
}

/// <summary>A ranking run of a month: computed or skipped, by whom, when, on which scheme.</summary>
internal sealed record RankingRun(Guid Id, DateOnly Month, string State, string Scheme, string? Reason, string RunBy, DateTimeOffset RunAt, DateTimeOffset AsOf);

/// <summary>One office's row of a stored ranking.</summary>
internal sealed record RankingRow(RankingLevel Level, string UnitId, int Rank, decimal Marks, decimal Percent, IReadOnlyList<MarkLine> Lines);

/// <summary>
/// Monthly rankings: computed from the month's facts and stored per run (every run is kept; the latest is shown),
/// computed again only when asked, and skippable for a month (as during an election code).
/// </summary>
internal sealed class MonthlyRankings(NpgsqlDataSource dataSource, IOptions<AccountabilityOptions> options) : IDisposable
{
    // A run reads a month of facts for seconds on one connection: one at a time per silo, and one per month in the
    // cluster (an advisory lock), so a burst of requests cannot take the connection pool from everything else.
    private readonly SemaphoreSlim _running = new(1, 1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Computes and stores the ranking of <paramref name="month"/> at every level.</summary>
    /// <exception cref="HelplineException">INVALID_VALUE when the month is not over.</exception>
    public async Task<RankingRun> ComputeAsync(DateOnly month, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = Period.Month(month);
        if (period.To > now)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{period.Name} is not over yet: a month is ranked once it has ended.", "month");
        }

        if (!await _running.WaitAsync(0, cancellationToken))
        {
            throw Busy(period);
        }

        try
        {
            return await ComputeAsync(month, period, actor, now, cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();

    private async Task<RankingRun> ComputeAsync(DateOnly month, Period period, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheme = options.Value.RankingInForce;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtextextended('ranking:' || $1, 7717))", connection, tx))
        {
            lockCmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = period.Name });
            if (await lockCmd.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw Busy(period);
            }
        }

        var figures = await FiguresAsync(period, now, connection, tx, cancellationToken);
        var run = new RankingRun(Guid.NewGuid(), new DateOnly(month.Year, month.Month, 1), "computed", JsonSerializer.Serialize(scheme, Json), null, actor, now, now);
        await InsertRunAsync(run, connection, tx, cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(RankingSql.CopyRows, cancellationToken))
        {
            foreach (var level in figures.GroupBy(f => f.Level))
            {
                foreach (var s in RankingMath.Rank(level, scheme))
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(run.Id, NpgsqlDbType.Uuid, cancellationToken);
                    await copy.WriteAsync(level.Key, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(s.Figures.UnitId, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(s.Rank, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync((decimal)s.Marks, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync((decimal)s.Percent, NpgsqlDbType.Numeric, cancellationToken);
                    await copy.WriteAsync(JsonSerializer.Serialize(s.Lines, Json), NpgsqlDbType.Text, cancellationToken);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>Records that <paramref name="month"/> is not ranked (the monthly job then leaves it alone); a later compute replaces it.</summary>
    /// <exception cref="HelplineException">INVALID_VALUE when the month has not begun.</exception>
    public async Task<RankingRun> SkipAsync(DateOnly month, string actor, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Period.Month(month).From > now)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"{Period.Month(month).Name} has not begun: a month is skipped once it has.", "month");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended('ranking:' || $1, 7717))", connection, tx))
        {
            // The month's lock: skips sent at once are told apart, and a skip waits for a run of the month to finish.
            lockCmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Period.Month(month).Name });
            await lockCmd.ExecuteNonQueryAsync(cancellationToken);
        }

        // The same skip sent again (a retry) records nothing new.
        if (await LatestAsync(month, connection, tx, cancellationToken) is { State: "skipped" } latest && latest.Reason == reason && latest.RunBy == actor)
        {
            return latest;
        }

        var run = new RankingRun(Guid.NewGuid(), new DateOnly(month.Year, month.Month, 1), "skipped", JsonSerializer.Serialize(options.Value.RankingInForce, Json), reason, actor, now, now);
        await InsertRunAsync(run, connection, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>The marks scheme a run used.</summary>
    public static IReadOnlyList<RankingParameterOptions> SchemeOf(RankingRun run) =>
        JsonSerializer.Deserialize<List<RankingParameterOptions>>(run.Scheme, Json) ?? [];

    /// <summary>The latest run of a month, if any.</summary>
    public async Task<RankingRun?> LatestAsync(DateOnly month, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LatestAsync(month, connection, null, cancellationToken);
    }

    private static async Task<RankingRun?> LatestAsync(DateOnly month, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(RankingSql.LatestRun, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = new DateOnly(month.Year, month.Month, 1) });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? new RankingRun(r.GetGuid(0), month, r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    /// <summary>The rows of a run at a level, best first.</summary>
    public async Task<IReadOnlyList<RankingRow>> RowsAsync(Guid runId, RankingLevel level, string? unitId, int first, int offset, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(RankingSql.Rows);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = level.ToString() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)unitId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var rows = new List<RankingRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new RankingRow(level, r.GetString(0), r.GetInt32(1), r.GetDecimal(2), r.GetDecimal(3), JsonSerializer.Deserialize<List<MarkLine>>(r.GetString(4), Json)!));
        }

        return rows;
    }

    private static HelplineException Busy(Period period) =>
        new(AccountabilityErrorCodes.RankingInProgress, $"A ranking is being computed (of {period.Name} or, on this server, another month); nothing was started. Ask again when it is done.", "month");

    private static async Task<List<UnitFigures>> FiguresAsync(Period period, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var units = new Dictionary<(RankingLevel, string), UnitFigures>();
        UnitFigures Of(RankingLevel level, string id) =>
            units.TryGetValue((level, id), out var u) ? u : units[(level, id)] = new UnitFigures(level.ToString(), id, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        await using (var cmd = new NpgsqlCommand(RankingSql.Facts, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                if (!r.IsDBNull(1) && LevelOf(r.GetInt32(0)) is { } level)
                {
                    var id = r.GetString(1);
                    units[(level, id)] = Of(level, id) with
                    {
                        Disposals = r.GetInt64(2), OnTime = r.GetInt64(3), Satisfied = r.GetInt64(4), Dissatisfied = r.GetInt64(5),
                        Breaches = r.GetInt64(6), CGrades = r.GetInt64(7), Reopened = r.GetInt64(8),
                    };
                }
            }
        }

        await using (var cmd = new NpgsqlCommand(RankingSql.Pending, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                if (!r.IsDBNull(1) && LevelOf(r.GetInt32(0)) is { } level)
                {
                    var id = r.GetString(1);
                    units[(level, id)] = Of(level, id) with { Pending = r.GetInt64(2), Overdue = r.GetInt64(3) };
                }
            }
        }

        return [.. units.Values];
    }

    // grouping(officer_id, tehsil_id, block_id, district_id, department_id) has a bit set for each column not grouped by.
    private static RankingLevel? LevelOf(int grouping) => grouping switch
    {
        0b01111 => RankingLevel.Officer,
        0b10111 => RankingLevel.Tehsil,
        0b11011 => RankingLevel.Block,
        0b11101 => RankingLevel.District,
        0b11110 => RankingLevel.Department,
        _ => null,
    };

    private static async Task InsertRunAsync(RankingRun run, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(RankingSql.InsertRun, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = run.Id });
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = run.Month });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.State });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.Scheme });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = run.RunBy });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.RunAt });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
