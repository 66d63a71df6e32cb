using System.Diagnostics;
using Helpline.Access;
using Helpline.Accountability;
using Helpline.CallBacks;
using Helpline.Catalogue;
using Helpline.Feed;
using Helpline.Grievances;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.Loading;
using Helpline.Officers;
using Helpline.Platform;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Sla;
using Helpline.Workload;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.LoadTests.AccountabilityBenchmark;

/// <summary>What was seeded, and how long it took (not part of the goal).</summary>
internal sealed record AccountabilitySeed(
    int Grievances, int Officers, int Supervisors, int Districts, int Tehsils, int Blocks, int Departments,
    long Facts, long Holdings, IReadOnlyDictionary<string, long> FactsByKind, long OpenAtMonthEnd, long OpenPastDue,
    int MaxPerOfficer, int MedianPerOfficer, TimeSpan MigrateTime, TimeSpan SeedTime, TimeSpan VacuumTime);

/// <summary>
/// Every module's schema through the service's migrator, then a month of accountability facts and holding spans
/// written set-based (generate_series) from per-grievance random draws, over officers placed in real UP districts,
/// tehsils and blocks (the Jurisdictions module's embedded LGD data) and real catalogue departments.
/// </summary>
internal static class AccountabilitySeeder
{
    /// <summary>Officers per supervisor.</summary>
    public const int Team = 20;

    // The officers: k, ids, team (20 to a supervisor; a team shares a district and a department), places, and a
    // quality q in [0, 1) that moves their on-time and satisfied shares around the averages (so some meet the rules).
    private const string OfficersSql = """
        create temp table bench_officer as
        select (t.n - 1)::int as k, 'bench-officer-' || (t.n - 1) as officer_id, 'bench-pos-' || (t.n - 1) as position_id,
               'bench-sup-' || ((t.n - 1) / 20) as sup_officer, 'bench-sup-pos-' || ((t.n - 1) / 20) as sup_position,
               t.department_id, t.district_id, t.tehsil_id, t.block_id, (((t.n - 1) * 37) % 100) / 100.0 as q
        from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as t(department_id, district_id, tehsil_id, block_id, n);
        create unique index on bench_officer (k);
        analyze bench_officer
        """;

    // One row per grievance with its draws. Officer: floor(O * r^1.5) (a skew: the first officers get hundreds, the
    // last about a dozen) scattered by a multiplier prime to O. Registered uniformly over the month; 85% disposed
    // within the month, on time at the officer's rate (80% on average); open ones are due 15 days after registration.
    // $1 grievances, $2 officers, $3 month from, $4 month to.
    private const string GrievancesSql = """
        create temp table bench_g as
        with d as (
            select g, random() r_o, random() r_reg, random() r_disp, random() r_late, random() r_br, random() r_cb, random() r_sat,
                   random() r_re, random() r_c, random() r_ov, random() r_x, random() r_t, random() r_due
            from generate_series(1, $1) g),
        o as (
            select d.*, ((floor($2 * power(d.r_o, 1.5))::bigint * 7919) % $2)::int as k,
                   $3::timestamptz + ($4::timestamptz - $3::timestamptz) * d.r_reg as reg
            from d)
        select o.g, 'UPB' || lpad(o.g::text, 9, '0') as ref, o.k, o.reg, o.r_disp < 0.85 as disposed,
               o.reg + ($4::timestamptz - o.reg) * o.r_t as disp_at,
               o.r_late < 0.65 + 0.3 * b.q as on_time, o.r_sat < 0.4 + 0.5 * b.q as satisfied,
               o.r_br, o.r_cb, o.r_re, o.r_c, o.r_ov, o.r_x, o.r_due
        from o join bench_officer b on b.k = o.k;
        alter table bench_g add column due timestamptz, add column breach boolean;
        update bench_g set
            due = case when not disposed then reg + interval '15 days'
                       when on_time then disp_at + interval '3 days' * r_due
                       else reg + (disp_at - reg) * r_due end;
        update bench_g set
            breach = case when disposed then not on_time and r_br < 0.45 else due < $4::timestamptz end
        """;

    // The facts of each grievance, one insert over all kinds. A fact's officer is the grievance's officer, who holds
    // it through its month; it is recorded the instant it happens. Breaches: 3% excused (on hold), 3% cleared by a
    // recompute. Call-backs on 60% of disposals; reopened 3% of disposals; C grades about 1%; overturned returns 0.2%.
    private const string FactsSql = """
        insert into accountability.fact (
            id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id, supervisor_officer_id,
            department_id, jurisdiction_id, district_id, tehsil_id, block_id, on_time, excused, cleared_at, cleared_why, recorded_at)
        select md5('accountability-bench-' || f.kind || '-' || b.g)::uuid, f.kind, b.ref, f.seq, f.at, o.officer_id, o.position_id, 1,
               o.sup_position, o.sup_officer, o.department_id, o.block_id, o.district_id, o.tehsil_id, o.block_id, f.on_time, f.excused,
               f.cleared_at, f.cleared_why, f.at
        from bench_g b
        join bench_officer o on o.k = b.k
        cross join lateral (values
            ('disposal', 5, b.disp_at, b.on_time, null::text, null::timestamptz, null::text, b.disposed),
            ('breach', 3, b.due, null, case when b.r_x < 0.03 then 'on hold' end,
                case when b.r_x >= 0.03 and b.r_x < 0.06 then b.due + interval '1 day' end,
                case when b.r_x >= 0.03 and b.r_x < 0.06 then 'recomputed' end, b.breach),
            (case when b.satisfied then 'satisfied' else 'dissatisfied' end, 6,
                least(b.disp_at + interval '2 days' * b.r_cb, $1::timestamptz - interval '1 second'), null, null, null, null, b.disposed and b.r_cb < 0.6),
            ('reopened', 7, least(b.disp_at + interval '1 day', $1::timestamptz - interval '1 second'), null, null, null, null, b.disposed and b.r_re < 0.03),
            ('c_grade', 8, least(b.disp_at + interval '12 hours', $1::timestamptz - interval '1 second'), null, null, null, null, b.disposed and b.r_c < 0.012),
            ('overturned_return', 2, b.reg + interval '1 hour', null, null, null, null, b.r_ov < 0.002)
        ) as f(kind, seq, at, on_time, excused, cleared_at, cleared_why, present)
        where f.present
        """;

    // One holding span per grievance: from registration to its disposal, or still open at the month's end
    // (3% of the open ones on hold).
    private const string HoldingSql = """
        insert into accountability.holding (
            reference_number, sequence, from_at, to_at, officer_id, position_id, level, department_id, jurisdiction_id,
            district_id, tehsil_id, block_id, due_at, on_hold)
        select b.ref, 1, b.reg, case when b.disposed then b.disp_at end, o.officer_id, o.position_id, 1, o.department_id, o.block_id,
               o.district_id, o.tehsil_id, o.block_id, b.due, not b.disposed and b.r_x < 0.03
        from bench_g b join bench_officer o on o.k = b.k
        """;

    /// <summary>Creates every module's schema on the empty database.</summary>
    public static async Task<TimeSpan> MigrateAsync(NpgsqlDataSource db)
    {
        var sw = Stopwatch.StartNew();
        IModuleSchema[] schemas =
        [
            new PlatformSchema(), new EventsSchema(), new JurisdictionsSchema(), new CatalogueSchema(), new OfficersSchema(), new AccessSchema(),
            new SlaSchema(), new GrievancesSchema(), new WorkloadSchema(), new CallBacksSchema(), new FeedSchema(), new AccountabilitySchema(),
        ];
        await new DatabaseMigrator(db, schemas, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return sw.Elapsed;
    }

    /// <summary>Seeds the month's facts and holding spans, then vacuums and analyses them.</summary>
    public static async Task<AccountabilitySeed> SeedAsync(NpgsqlDataSource db, int grievances, int officers, Period month, TimeSpan migrateTime)
    {
        var places = Places(officers);
        var sw = Stopwatch.StartNew();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await ExecuteAsync(connection, "select setseed(0.15)");
            await ExecuteAsync(connection, OfficersSql, places.Departments, places.Districts, places.Tehsils, places.Blocks);
            await ExecuteAsync(connection, GrievancesSql, grievances, officers, month.From, month.To);
            await ExecuteAsync(connection, "analyze bench_g");
            await ExecuteAsync(connection, FactsSql, month.To);
            await ExecuteAsync(connection, HoldingSql);
        }

        var seedTime = sw.Elapsed;
        sw.Restart();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await ExecuteAsync(connection, "vacuum analyze accountability.fact, accountability.holding");
        }

        var vacuumTime = sw.Elapsed;
        var byKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand("select kind, count(*) from accountability.fact group by kind"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                byKind[r.GetString(0)] = r.GetInt64(1);
            }
        }

        var holdings = await ScalarAsync(db, "select count(*) from accountability.holding");
        var open = await ScalarAsync(db, "select count(*) from accountability.holding where to_at is null");
        await using var pastDue = db.CreateCommand("select count(*) from accountability.holding where to_at is null and due_at < $1");
        pastDue.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = month.To });
        var openPastDue = (long)(await pastDue.ExecuteScalarAsync())!;
        var max = await ScalarAsync(db, "select max(n) from (select count(*) n from accountability.holding group by officer_id) x");
        var median = await ScalarAsync(db, "select percentile_disc(0.5) within group (order by n) from (select count(*) n from accountability.holding group by officer_id) x");
        return new AccountabilitySeed(
            grievances, officers, (officers + Team - 1) / Team, places.Districts.Distinct().Count(), places.Tehsils.Distinct().Count(),
            places.Blocks.Distinct().Count(), places.Departments.Distinct().Count(), byKind.Values.Sum(), holdings, byKind, open, openPastDue,
            (int)max, (int)median, migrateTime, seedTime, vacuumTime);
    }

    /// <summary>Each officer's department, district, tehsil and block (parallel arrays by officer index).</summary>
    private static (string[] Departments, string[] Districts, string[] Tehsils, string[] Blocks) Places(int officers)
    {
        var nodes = UpReferenceData.ReadEmbedded().Nodes;
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        string? DistrictOf(Jurisdiction j)
        {
            for (var at = j; at is not null; at = at.ParentId is null ? null : byId.GetValueOrDefault(at.ParentId))
            {
                if (at.Kind == JurisdictionKind.District)
                {
                    return at.Id;
                }
            }

            return null;
        }

        ILookup<string?, string> Under(JurisdictionKind kind) =>
            nodes.Where(n => n.Kind == kind).OrderBy(n => n.Id, StringComparer.Ordinal).ToLookup(DistrictOf, n => n.Id);
        var tehsils = Under(JurisdictionKind.Tehsil);
        var blocks = Under(JurisdictionKind.Block);
        var districts = nodes.Where(n => n.Kind == JurisdictionKind.District && tehsils[n.Id].Any() && blocks[n.Id].Any())
            .Select(n => n.Id).Order(StringComparer.Ordinal).ToArray();
        var departments = CatalogueFiles.ReadEmbedded().Departments.Select(d => d.Id).Take(12).ToArray();
        var (dep, dis, teh, blo) = (new string[officers], new string[officers], new string[officers], new string[officers]);
        for (var k = 0; k < officers; k++)
        {
            var team = k / Team;
            var district = districts[team % districts.Length];
            var (ts, bs) = (tehsils[district].ToArray(), blocks[district].ToArray());
            (dep[k], dis[k], teh[k], blo[k]) = (departments[(team / districts.Length) % departments.Length], district, ts[k % ts.Length], bs[k % bs.Length]);
        }

        return (dep, dis, teh, blo);
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Runs each statement of the script in turn (a prepared statement holds one), with the parameters up to the
    // highest $n it names.
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var used = System.Text.RegularExpressions.Regex.Matches(statement, @"\$(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            await using var cmd = new NpgsqlCommand(statement, connection) { CommandTimeout = 1200 };
            foreach (var p in parameters.Take(used))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = p });
            }

            await cmd.ExecuteNonQueryAsync();
        }
    }
}
