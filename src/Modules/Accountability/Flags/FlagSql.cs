namespace Helpline.Accountability.Flags;

/// <summary>The statements of the flagging run.</summary>
internal static class FlagSql
{
    /// <summary>A fact that counts against its officer: not excused (on hold) and not cleared (by a recompute, or a grade revised).</summary>
    public const string Counts = "excused is null and cleared_at is null";

    // $1 from, $2 to, $3 kinds counted, $4 kinds in the sample (a share's denominator; the counted ones otherwise).
    public static readonly string PerOfficer = $"""
        select officer_id,
               count(*) filter (where kind = any($3) and {Counts}),
               count(*) filter (where kind = any($4) and {Counts}),
               (array_agg(distinct reference_number) filter (where kind = any($3) and {Counts}))[1:1000],
               (array_agg(position_id order by at desc))[1],
               (array_agg(supervisor_position_id order by at desc))[1],
               (array_agg(supervisor_officer_id order by at desc))[1],
               (array_agg(department_id order by at desc))[1]
        from accountability.fact
        where at >= $1 and at < $2 and kind = any($4)
        group by officer_id
        having count(*) filter (where kind = any($3) and {Counts}) > 0
        """;

    // $1 from, $2 to, $3 team rules (not counted): flags on each supervisor's team in the period.
    public const string PerSupervisor = """
        select f.supervisor_officer_id,
               (array_agg(f.supervisor_position_id order by f.raised_at desc))[1],
               count(distinct f.id),
               array_agg(distinct f.officer_id || ' (' || f.rule || ', ' || f.period || ')'),
               (array_agg(distinct r))[1:1000]
        from accountability.flag f
        cross join lateral unnest(f.evidence) r
        where f.period_from >= $1 and f.period_to <= $2 and f.status <> 'withdrawn' and f.supervisor_officer_id is not null
          and f.rule <> all($3)
        group by f.supervisor_officer_id
        """;

    // Arrays of the flags to raise, in the same order; a flag already raised for the officer, rule and period stays as it is.
    public const string Raise = """
        insert into accountability.flag (id, officer_id, rule, period, period_from, period_to, position_id, supervisor_position_id,
                                         supervisor_officer_id, department_id, jurisdiction_path, figures, evidence, raised_at)
        select gen_random_uuid(), o, $2, $3, $4, $5, p, sp, so, d, coalesce(string_to_array(j, '|'), '{}'), f,
               coalesce(string_to_array(e, '|'), '{}'), $6
        from unnest($1::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]) as t(o, p, sp, so, d, j, f, e)
        on conflict (officer_id, rule, period) do nothing
        """;

    // A flag the system withdrew (the figures fell below the rule) is raised again when they meet it again in the same
    // period, with the new figures and evidence; one a supervisor withdrew stays withdrawn. Arrays as for Raise;
    // $4 reason, $5 now.
    public const string Reinstate = """
        with again as (
            update accountability.flag f set status = 'raised', figures = t.f, evidence = coalesce(string_to_array(t.e, '|'), '{}')
            from unnest($1::text[], $6::text[], $7::text[]) as t(o, f, e)
            where f.officer_id = t.o and f.rule = $2 and f.period = $3 and f.status = 'withdrawn'
              and (select r.by_system from accountability.flag_review r where r.flag_id = f.id order by r.n desc limit 1)
            returning f.id)
        insert into accountability.flag_review (id, flag_id, decision, reason, reviewed_by, reviewed_at, by_system)
        select gen_random_uuid(), id, 'raised', $4, 'system', $5, true from again
        """;

    // A flag whose officer no longer meets its rule (a breach was cleared, a grade revised) is withdrawn by the system,
    // with the reason on record. $1 rule, $2 period, $3 officers who meet it, $4 reason, $5 now.
    public const string WithdrawUnmet = """
        with gone as (
            update accountability.flag set status = 'withdrawn'
            where rule = $1 and period = $2 and status <> 'withdrawn' and not (officer_id = any($3))
            returning id)
        insert into accountability.flag_review (id, flag_id, decision, reason, reviewed_by, reviewed_at, by_system)
        select gen_random_uuid(), id, 'withdrawn', $4, 'system', $5, true from gone
        """;
}
