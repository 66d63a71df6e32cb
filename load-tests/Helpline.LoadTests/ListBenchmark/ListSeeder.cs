using System.Diagnostics;
using System.Globalization;
using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Jurisdictions;
using Helpline.Jurisdictions.Loading;
using Npgsql;

namespace Helpline.LoadTests.ListBenchmark;

/// <summary>What was seeded, and how long each step took (not part of the goal).</summary>
internal sealed record ListSeed(
    long Grievances, long Open, int Officers, int Places, int Districts, int Departments,
    TimeSpan Insert, TimeSpan Indexes, TimeSpan Counts, TimeSpan VacuumAnalyze)
{
    public TimeSpan Total => Insert + Indexes + Counts + VacuumAnalyze;
}

/// <summary>
/// Grievance read-model rows written set-based (generate_series, one insert … select) straight into
/// grievances.grievance, over officers placed in the real UP blocks (the Jurisdictions module's embedded LGD data,
/// paths up to the state as the projection writes them) and every real catalogue department.
/// The table stays logged. What makes the seed fast: its indexes are dropped before the insert and built after it
/// (one sort each instead of 10,000,000 index insertions), and its count triggers are off during the insert with the
/// counts then built by the same statement migration 0006 backfills them with.
/// </summary>
internal static class ListSeeder
{
    /// <summary>The instant the lists are read at.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 5, 0, 0, TimeSpan.Zero);

    /// <summary>An officer's grievances: about 500 at 10,000,000.</summary>
    public const int Officers = 20_000;

    // Open grievances: registered in the last 45 days; levels 80/12/6/2 %; due from 12 hours ago to 20 days ahead
    // (about 2.5 % overdue), at risk from 3 days before due; 3 % on hold. Disposed ones: registered up to 3 years before
    // that, disposed within 20 days, 62 % closed after a call-back 2 days later.
    private const string GrievancesSql = """
        insert into grievances.grievance (
            reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile, jurisdiction_id,
            jurisdiction_path, category_id, department_id, description, position_id, officer_id, level, registered_at,
            due_at, breached, breached_at_top, closed_at, disposal, registered_by, version, at_risk_at, at_risk_announced,
            on_hold_since, last_changed_at, final_closed_at, projected_at)
        select x.ref, x.ref, x.kind, x.status, x.channel, 'B*** C***', x.mobile, o.jid, o.path, 'cat-' || o.dept, o.dept,
               'Seeded by list-bench', o.position_id, o.officer_id, x.level, x.reg, x.due, x.level > 1 or x.due < $1,
               x.level = 4 and x.due < $1 and x.open, x.closed, case when x.closed is not null then 'Done' end, 'agent-bench', 1,
               x.due - interval '3 days' * x.r5, false, x.hold, greatest(x.reg, coalesce(x.final, x.closed, x.hold, x.reg)), x.final, $1
        from (
            select y.*,
                   case when y.open then 'Open' when y.r1 < 0.62 then 'Closed' when y.r1 < 0.8 then 'Resolved'
                        when y.r1 < 0.9 then 'Rejected' when y.r1 < 0.97 then 'DisposedOnCall' else 'SpeciallyClosed' end as status,
                   case when not y.open then y.reg + interval '20 days' * y.r4 end as closed,
                   case when not y.open and y.r1 < 0.62 then y.reg + interval '20 days' * y.r4 + interval '2 days' end as final,
                   case when y.open then $1 + interval '20 days' * y.r4 - interval '12 hours' else y.reg + interval '15 days' end as due,
                   case when y.open and y.r2 < 0.03 then y.reg + interval '1 day' end as hold
            from (
                select g, 'B' || lpad(g::text, 11, '0') as ref, g < $3 as open, (g::bigint * 7919) % $4 as k,
                       r1, r2, r4, r5,
                       case when g < $3 then $1 - interval '45 days' * r3 else $1 - interval '45 days' - interval '1095 days' * r3 end as reg,
                       case when r2 < 0.8 then 1 when r2 < 0.92 then 2 when r2 < 0.98 then 3 else 4 end as level,
                       ($5::text[])[1 + g % array_length($5::text[], 1)] as channel,
                       ($6::text[])[1 + (g / 7) % array_length($6::text[], 1)] as kind,
                       '9' || lpad(((g::bigint * 2654435761) % 1000000000)::text, 9, '0') as mobile
                from (select g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
                      from generate_series(0, $2 - 1) g) r
            ) y
        ) x
        join bench_officer o on o.k = x.k
        """;

    public static async Task<ListSeed> SeedAsync(NpgsqlDataSource db, int grievances, int open, Action<string> log)
    {
        var (places, paths, districts) = Places();
        var departments = CatalogueFiles.ReadEmbedded().Departments.Select(d => d.Id).ToArray();
        await using var connection = await db.OpenConnectionAsync();
        await ExecuteAsync(connection, "select setseed(0.16)");
        await ExecuteAsync(connection, "set maintenance_work_mem = '512MB'");
        await ExecuteAsync(connection, """
            create temp table bench_officer as
            select k, 'OFF-B' || lpad(k::text, 6, '0') as officer_id, 'POS-B' || lpad(k::text, 6, '0') as position_id,
                   d.id as dept, p.id as jid, string_to_array(p.path, ',') as path
            from generate_series(0, $3 - 1) k
            join unnest($1::text[]) with ordinality as d(id, n) on d.n = 1 + k % array_length($1::text[], 1)
            join unnest($2::text[], $4::text[]) with ordinality as p(id, path, n)
              on p.n = 1 + (k / array_length($1::text[], 1)) % array_length($2::text[], 1)
            """, departments, places, Officers, paths);
        await ExecuteAsync(connection, "create unique index on bench_officer (k)");
        await ExecuteAsync(connection, "analyze bench_officer");

        // Index definitions as the migrations made them, to build again after the insert.
        var indexes = new List<string>();
        await using (var cmd = new NpgsqlCommand(
            "select indexname, indexdef from pg_indexes where schemaname = 'grievances' and tablename = 'grievance' and indexname not like '%_pkey' and indexname not like '%_key'",
            connection))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                indexes.Add(r.GetString(1));
            }
        }

        await ExecuteAsync(connection, "alter table grievances.grievance drop constraint grievance_grain_key_key");
        await ExecuteAsync(connection, "alter table grievances.grievance drop constraint grievance_pkey cascade");
        foreach (var def in indexes)
        {
            await ExecuteAsync(connection, "drop index grievances." + def.Split(' ')[2]);
        }

        await ExecuteAsync(connection, "alter table grievances.grievance disable trigger user");
        var sw = Stopwatch.StartNew();
        await ExecuteAsync(connection, GrievancesSql, Now, grievances, open, Officers, Enum.GetNames<Channel>(), Enum.GetNames<GrievanceKind>());
        var insert = sw.Elapsed;
        log($"{grievances:N0} rows inserted in {insert.TotalSeconds:0.0} s; building {indexes.Count + 2} indexes");

        sw.Restart();
        await ExecuteAsync(connection, "alter table grievances.grievance add primary key (reference_number)");
        await ExecuteAsync(connection, "alter table grievances.grievance add constraint grievance_grain_key_key unique (grain_key)");
        await ExecuteAsync(connection, "alter table grievances.timeline_event add foreign key (reference_number) references grievances.grievance (reference_number) on delete cascade");
        foreach (var def in indexes)
        {
            await ExecuteAsync(connection, def);
        }

        var indexTime = sw.Elapsed;
        log($"indexes built in {indexTime.TotalSeconds:0.0} s");
        sw.Restart();
        await ExecuteAsync(connection, "alter table grievances.grievance enable trigger user");
        await ExecuteAsync(connection, """
            insert into grievances.grievance_count (node, department_id, status, level, on_hold, n)
            select node, department_id, status, level, on_hold, sum(n)
            from (select jurisdiction_path, department_id, status, level, status = 'Open' and on_hold_since is not null as on_hold, count(*) as n
                  from grievances.grievance group by 1, 2, 3, 4, 5) g
            cross join lateral unnest(g.jurisdiction_path || '*'::text) as node
            group by 1, 2, 3, 4, 5
            """);
        var counts = sw.Elapsed;
        sw.Restart();
        await ExecuteAsync(connection, "vacuum (analyze) grievances.grievance, grievances.grievance_count");
        var vacuum = sw.Elapsed;
        return new ListSeed(grievances, open, Officers, places.Length, districts, departments.Length, insert, indexTime, counts, vacuum);
    }

    /// <summary>Every block with its path to the state (as the projection stores it, comma-joined), and the number of districts.</summary>
    private static (string[] Places, string[] Paths, int Districts) Places()
    {
        var nodes = UpReferenceData.ReadEmbedded().Nodes;
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        string Path(Jurisdiction j)
        {
            var ids = new List<string>();
            for (var at = j; at is not null; at = at.ParentId is null ? null : byId.GetValueOrDefault(at.ParentId))
            {
                ids.Add(at.Id);
            }

            return string.Join(',', ids);
        }

        var blocks = nodes.Where(n => n.Kind == JurisdictionKind.Block).OrderBy(n => n.Id, StringComparer.Ordinal).ToArray();
        return (blocks.Select(b => b.Id).ToArray(), blocks.Select(Path).ToArray(), nodes.Count(n => n.Kind == JurisdictionKind.District));
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, params object[] parameters)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 1200;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        await cmd.ExecuteNonQueryAsync();
    }
}
