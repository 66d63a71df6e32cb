using Npgsql;

namespace Helpline.Accountability.Facts;

/// <summary>An officer's figures in a period: what counts against them, and what was excused or cleared.</summary>
internal sealed record OfficerFigures(
    string OfficerId, string Period, long Disposals, long OnTime, long Breaches, long BreachesExcused, long BreachesCleared, long Reopened,
    long Satisfied, long Dissatisfied, long CGrades, long OverturnedReturns);

/// <summary>Counts an officer's facts in a period.</summary>
internal sealed class OfficerRecord(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        select count(*) filter (where kind = 'disposal'),
               count(*) filter (where kind = 'disposal' and on_time),
               count(*) filter (where kind = 'breach' and excused is null and cleared_at is null),
               count(*) filter (where kind = 'breach' and excused is not null),
               count(*) filter (where kind = 'breach' and excused is null and cleared_at is not null),
               count(*) filter (where kind = 'reopened'),
               count(*) filter (where kind = 'satisfied'),
               count(*) filter (where kind = 'dissatisfied'),
               count(*) filter (where kind = 'c_grade' and cleared_at is null),
               count(*) filter (where kind = 'overturned_return')
        from accountability.fact where officer_id = $1 and at >= $2 and at < $3
        """;

    /// <summary>The officer's figures in <paramref name="period"/>.</summary>
    public async Task<OfficerFigures> OfAsync(string officerId, Period period, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = officerId });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        await r.ReadAsync(cancellationToken);
        return new OfficerFigures(officerId, period.Name, r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9));
    }
}
