using System.Diagnostics;
using System.Globalization;
using Helpline.Grievances;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>What <see cref="WorkloadSeeder.SeedAsync"/> wrote and how long it took.</summary>
internal sealed record WorkloadSeed(int OfficersAdded, int Pools, long Grievances, TimeSpan OfficerTime, TimeSpan CopyTime, TimeSpan AnalyzeTime);

/// <summary>
/// Writes a <see cref="WorkloadPlan"/> into the bench database while the host is stopped: the added officers (origin
/// 'admin', posted by an open posting row as the postings administration records one), the seats made pools, and the
/// open grievances straight into the read model by binary COPY, consistent with each holder's seat (position,
/// officer, department, the seat's place and its path, level 1, a category of the department, due and at-risk
/// instants), as if registered earlier: the officer grains rebuild their lists from exactly these rows.
/// </summary>
internal static class WorkloadSeeder
{
    public static async Task<WorkloadSeed> SeedAsync(NpgsqlDataSource db, RosterSnapshot roster, WorkloadPlan plan, DateTimeOffset now, Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        if (plan.Added.Count > 0 || plan.PoolSeats.Count > 0)
        {
            await using var conn = await db.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("update officers.position set pool_capacity = $1 where id = any($2)", conn, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = WorkloadPlan.PoolCapacity });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. plan.PoolSeats] });
                await cmd.ExecuteNonQueryAsync();
            }

            string[] ids = [.. plan.Added.Select(o => o.Id)], mobiles = [.. plan.Added.Select(o => o.Mobile)], seats = [.. plan.Added.Select(o => o.PositionId)];
            await using (var cmd = new NpgsqlCommand(
                """
                insert into officers.officer (id, name, mobile, position_id, origin)
                select id, 'Bench Officer ' || substr(id, 5), mobile, position_id, 'admin' from unnest($1::text[], $2::text[], $3::text[]) as t(id, mobile, position_id)
                """, conn, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = mobiles });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = seats });
                cmd.CommandTimeout = 600;
                await cmd.ExecuteNonQueryAsync();
            }

            await using (var cmd = new NpgsqlCommand(
                """
                insert into officers.posting (officer_id, position_id, started_at, started_by, note)
                select id, position_id, $3, 'workload-bench', 'pool member added by the workload benchmark' from unnest($1::text[], $2::text[]) as t(id, position_id)
                """, conn, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = seats });
                cmd.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
                cmd.CommandTimeout = 600;
                await cmd.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }

        var officerTime = sw.Elapsed;
        log($"{plan.Added.Count:N0} officers added as pool members, {plan.PoolSeats.Count:N0} seats made pools (capacity {WorkloadPlan.PoolCapacity}) in {officerTime.TotalSeconds:0.0} s");

        sw.Restart();
        var categories = roster.Categories.ToLookup(c => c.DepartmentId, StringComparer.Ordinal);
        var rows = await CopyAsync(db, plan, categories, now, n => log($"  {n:N0} grievances written"));
        var copyTime = sw.Elapsed;
        sw.Restart();
        await using (var cmd = db.CreateCommand("analyze grievances.grievance; analyze officers.officer; analyze officers.position"))
        {
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync();
        }

        return new WorkloadSeed(plan.Added.Count, plan.PoolSeats.Count, rows, officerTime, copyTime, sw.Elapsed);
    }

    private static async Task<long> CopyAsync(NpgsqlDataSource db, WorkloadPlan plan, ILookup<string, BenchCategory> categories, DateTimeOffset now, Action<long> progress)
    {
        const string copy = """
            copy grievances.grievance (
                reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile,
                jurisdiction_id, jurisdiction_path, category_id, department_id, description, position_id, officer_id,
                level, registered_at, due_at, breached, breached_at_top, closed_at, disposal, registered_by, version,
                projected_at, at_risk_at, at_risk_announced, on_hold_since, last_changed_at)
            from stdin (format binary)
            """;

        // Due 2 to 30 days ahead, so no deadline fires while the benchmark runs and the figures are the grains' reads alone.
        var first = now.AddDays(2);
        var window = TimeSpan.FromDays(28).Ticks;
        var paths = new Dictionary<string, string[]>(StringComparer.Ordinal);
        long i = 0;
        await using var conn = await db.OpenConnectionAsync();
        await using var writer = await conn.BeginBinaryImportAsync(copy);
        foreach (var (officer, count) in plan.OpenOf.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var seat = plan.SeatOf[officer];
            var choices = categories[seat.DepartmentId].ToList();
            var fitting = choices.Where(c => c.ResolutionLevel == seat.Kind).ToList();
            var pick = fitting.Count > 0 ? fitting : choices;
            if (!paths.TryGetValue(seat.Id, out var path))
            {
                paths[seat.Id] = path = [.. seat.PathRootFirst.Reverse()]; // the read model stores the place first, the root last
            }

            for (var k = 0; k < count; k++, i++)
            {
                var due = first.AddTicks(i * 7_919_000_000L % window).UtcDateTime;
                await writer.StartRowAsync();
                await writer.WriteAsync("98" + i.ToString("D10", CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                await writer.WriteAsync(GrievanceKeys.ForRequest("wb-" + i.ToString(CultureInfo.InvariantCulture)), NpgsqlDbType.Text);
                await writer.WriteAsync("Complaint", NpgsqlDbType.Text);
                await writer.WriteAsync("Open", NpgsqlDbType.Text);
                await writer.WriteAsync("Phone", NpgsqlDbType.Text);
                await writer.WriteAsync("Bench Complainant", NpgsqlDbType.Text);
                await writer.WriteAsync("9415012345", NpgsqlDbType.Text);
                await writer.WriteAsync(seat.JurisdictionId, NpgsqlDbType.Text);
                await writer.WriteAsync(path, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await writer.WriteAsync(pick[k % pick.Count].Id, NpgsqlDbType.Text);
                await writer.WriteAsync(seat.DepartmentId, NpgsqlDbType.Text);
                await writer.WriteAsync("Workload benchmark grievance", NpgsqlDbType.Text);
                await writer.WriteAsync(seat.Id, NpgsqlDbType.Text);
                await writer.WriteAsync(officer, NpgsqlDbType.Text);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(now.UtcDateTime.AddMinutes(-(i % 28_800) - 60), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(due, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteNullAsync();
                await writer.WriteNullAsync();
                await writer.WriteAsync("workload-bench", NpgsqlDbType.Text);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync(now.UtcDateTime, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(due.AddDays(-1), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteNullAsync();
                await writer.WriteAsync(now.UtcDateTime.AddMinutes(-(i % 28_800) - 60), NpgsqlDbType.TimestampTz); // last changed: when registered
                if ((i + 1) % 250_000 == 0)
                {
                    progress(i + 1);
                }
            }
        }

        await writer.CompleteAsync();
        return i;
    }
}
