namespace Helpline.Accountability.Rankings;

/// <summary>The statements of a ranking run.</summary>
internal static class RankingSql
{
    /// <summary>A fact as the run knew it: recorded by then, not excused, and not cleared by then. $3 is the run's instant.</summary>
    public const string Known = "recorded_at <= $3 and excused is null and (cleared_at is null or cleared_at > $3)";

    // The offices' figures from the month's facts: $1 from, $2 to, $3 as of. grouping() tells which level a row is.
    public static readonly string Facts = $"""
        select grouping(officer_id, tehsil_id, block_id, district_id, department_id),
               coalesce(officer_id, tehsil_id, block_id, district_id, department_id),
               count(*) filter (where kind = 'disposal'),
               count(*) filter (where kind = 'disposal' and on_time),
               count(*) filter (where kind = 'satisfied'),
               count(*) filter (where kind = 'dissatisfied'),
               count(*) filter (where kind = 'breach'),
               count(*) filter (where kind = 'c_grade'),
               count(*) filter (where kind = 'reopened')
        from accountability.fact
        where at >= $1 and at < $2 and {Known}
        group by grouping sets ((officer_id), (tehsil_id), (block_id), (district_id), (department_id))
        """;

    // Who held what at the month's end ($1), and whether it was past its due date then (on hold is never overdue).
    public const string Pending = """
        select grouping(officer_id, tehsil_id, block_id, district_id, department_id),
               coalesce(officer_id, tehsil_id, block_id, district_id, department_id),
               count(*),
               count(*) filter (where not on_hold and due_at < $1)
        from accountability.holding
        where from_at < $1 and (to_at is null or to_at >= $1)
        group by grouping sets ((officer_id), (tehsil_id), (block_id), (district_id), (department_id))
        """;

    public const string InsertRun = """
        insert into accountability.ranking_run (id, month, state, scheme, reason, run_by, run_at, as_of) values ($1, $2, $3, $4, $5, $6, $7, $7)
        """;

    public const string CopyRows = "copy accountability.ranking_row (run_id, level, unit_id, rank, marks, percent, breakdown) from stdin (format binary)";

    // The latest run of a month.
    public const string LatestRun = """
        select id, state, scheme, reason, run_by, run_at, as_of from accountability.ranking_run where month = $1 order by run_at desc, id limit 1
        """;

    public const string Rows = """
        select unit_id, rank, marks, percent, breakdown from accountability.ranking_row
        where run_id = $1 and level = $2 and ($3::text is null or unit_id = $3)
        order by rank, unit_id
        limit $4 offset $5
        """;
}
