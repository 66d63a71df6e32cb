using Helpline.Platform.Access;
using Npgsql;

namespace Helpline.CallBacks.Figures;

/// <summary>What figures are counted by.</summary>
public enum FiguresBy
{
    /// <summary>Per campaign (call-backs not yet in one are left out).</summary>
    Campaign = 0,

    /// <summary>Per department.</summary>
    Department = 1,

    /// <summary>Per district.</summary>
    District = 2,

    /// <summary>Per officer who disposed of the grievance.</summary>
    Officer = 3,
}

/// <summary>Call-back figures for one campaign, department, district or officer.</summary>
/// <param name="Key">The campaign, department, district or officer id.</param>
/// <param name="Due">Call-backs to be made (every one but those cancelled because the grievance was reopened first).</param>
/// <param name="Done">Finished: satisfied, dissatisfied or not reachable.</param>
/// <param name="Pending">Still to be made.</param>
/// <param name="Satisfied">Complainants satisfied.</param>
/// <param name="Dissatisfied">Complainants not satisfied (the grievance went one level up).</param>
/// <param name="NotReachable">Complainants not reached after the last attempt.</param>
/// <param name="Overdue">Not finished by their due date (still pending after it, or finished after it).</param>
/// <param name="Cancelled">Not needed: the grievance was reopened before the call.</param>
/// <param name="AverageRating">The average rating given, or null.</param>
internal sealed record CallBackFigureRow(
    string Key, long Due, long Done, long Pending, long Satisfied, long Dissatisfied, long NotReachable, long Overdue, long Cancelled, double? AverageRating)
{
    /// <summary>Satisfied as a percentage of those who gave an answer (satisfied + dissatisfied), to two decimals; null before any answer.</summary>
    public double? SatisfactionRate => Satisfied + Dissatisfied == 0 ? null : Math.Round(100.0 * Satisfied / (Satisfied + Dissatisfied), 2, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Counts call-backs of disposals made in a period, grouped as asked, within the caller's scope: departments and
/// places of their token, or a supervisor's team (the seats that disposed).
/// </summary>
internal sealed class CallBackFigures(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        select {0} as key,
               count(*) filter (where c.state <> 'cancelled'),
               count(*) filter (where c.state in ('satisfied', 'dissatisfied', 'not_reachable')),
               count(*) filter (where c.state = 'pending'),
               count(*) filter (where c.state = 'satisfied'),
               count(*) filter (where c.state = 'dissatisfied'),
               count(*) filter (where c.state = 'not_reachable'),
               count(*) filter (where (c.state = 'pending' and c.due_at < $3) or (c.state not in ('pending', 'cancelled') and c.completed_at > c.due_at)),
               count(*) filter (where c.state = 'cancelled'),
               avg(c.rating)::float8
        from callbacks.call_back c
        where c.disposed_at >= $1 and c.disposed_at < $2 and {0} is not null
          and ($4::text[] is null or c.department_id = any($4))
          and ($5::text[] is null or c.jurisdiction_path && $5)
          and ($6::text[] is null or c.position_id = any($6))
          and ($7::text is null or c.department_id = $7)
          and ($8::text is null or $8 = any(c.jurisdiction_path))
        group by 1
        order by 1
        limit 5000
        """;

    /// <summary>Figures of disposals made in [<paramref name="from"/>, <paramref name="to"/>), grouped by <paramref name="by"/>.</summary>
    public async Task<IReadOnlyList<CallBackFigureRow>> ListAsync(
        FiguresBy by, DateTimeOffset from, DateTimeOffset to, string? departmentId, string? jurisdictionId, CallerScope scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var column = by switch
        {
            FiguresBy.Campaign => "c.campaign_id",
            FiguresBy.Department => "c.department_id",
            FiguresBy.District => "c.district_id",
            _ => "c.officer_id",
        };
        await using var cmd = dataSource.CreateCommand(Sql.Replace("{0}", column, StringComparison.Ordinal));
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from.ToUniversalTime() });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to.ToUniversalTime() });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        p.Add(Texts(scope.Departments));
        p.Add(Texts(scope.Jurisdictions));
        p.Add(Texts(scope.Positions));
        p.Add(new NpgsqlParameter { Value = (object?)departmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)jurisdictionId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new List<CallBackFigureRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CallBackFigureRow(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetDouble(9)));
        }

        return rows;
    }

    private static NpgsqlParameter Texts(IReadOnlySet<string>? values) =>
        new() { Value = values is null ? DBNull.Value : values.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text };
}
