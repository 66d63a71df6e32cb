using Npgsql;

namespace Helpline.Accountability.Rankings;

/// <summary>One grievance behind a figure: what it counted as, when, and against whom.</summary>
internal sealed record EvidenceItem(string ReferenceNumber, DateTimeOffset At, string Counted, string OfficerId);

/// <summary>The grievances behind each figure of a stored ranking, as the run knew them.</summary>
internal sealed class Evidence(NpgsqlDataSource dataSource)
{
    private static readonly string FactSql = $"""
        select reference_number, at,
               case kind when 'disposal' then case when on_time then 'disposed of within time' else 'disposed of late' end
                         when 'breach' then 'went defaulter' when 'c_grade' then 'graded C' else kind end,
               officer_id
        from accountability.fact
        where at >= $1 and at < $2 and {RankingSql.Known} and kind = any($4) and {"{0}"} = $5
        order by at, reference_number
        limit $6 offset $7
        """;

    private const string PendingSql = """
        select reference_number, from_at,
               case when not on_hold and due_at < $2 then 'pending past its due date' else 'pending within its due date' end,
               officer_id
        from accountability.holding
        where from_at < $2 and (to_at is null or to_at >= $2) and {0} = $5
        order by reference_number
        limit $6 offset $7
        """;

    /// <summary>The grievances behind <paramref name="measure"/> for one office in the month of a run, oldest first.</summary>
    public async Task<IReadOnlyList<EvidenceItem>> ListAsync(RankingRun run, RankingLevel level, string unitId, Measure measure, int first, int offset, CancellationToken cancellationToken)
    {
        var period = Period.Month(run.Month);
        var column = level switch
        {
            RankingLevel.Officer => "officer_id",
            RankingLevel.Tehsil => "tehsil_id",
            RankingLevel.Block => "block_id",
            RankingLevel.District => "district_id",
            _ => "department_id",
        };
        string[] kinds = measure switch
        {
            Measure.DisposalWithinTime => ["disposal"],
            Measure.SatisfiedFeedback => ["satisfied", "dissatisfied"],
            Measure.DefaulterCases => ["breach"],
            Measure.CGradeDisposals => ["c_grade"],
            Measure.ReopenedDisposals => ["reopened"],
            _ => [],
        };
        var sql = (measure == Measure.PendencyWithinDue ? PendingSql : FactSql).Replace("{0}", column, StringComparison.Ordinal);
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = run.AsOf });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = kinds });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unitId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = first });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var items = new List<EvidenceItem>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            items.Add(new EvidenceItem(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3)));
        }

        return items;
    }
}
