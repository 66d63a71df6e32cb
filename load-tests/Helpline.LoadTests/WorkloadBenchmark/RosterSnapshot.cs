using Npgsql;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>A seat of the generated roster as the benchmark plans with it.</summary>
/// <param name="Id">Position id.</param>
/// <param name="DepartmentId">Its department.</param>
/// <param name="JurisdictionId">The place it serves.</param>
/// <param name="SupervisorId">The seat above it, if any.</param>
/// <param name="Kind">The kind of place (Block, Tehsil, District, ...).</param>
/// <param name="PathRootFirst">Ids from the root down to the place (inclusive).</param>
/// <param name="Holders">Officers posted to it now, by id.</param>
internal sealed record BenchSeat(string Id, string DepartmentId, string JurisdictionId, string? SupervisorId, string Kind, string[] PathRootFirst, string[] Holders);

/// <summary>A category: its id, department and the level it is resolved at.</summary>
internal sealed record BenchCategory(string Id, string DepartmentId, string ResolutionLevel);

/// <summary>The roster, places and categories of the bench database after the host's first start (migrations and reference data).</summary>
internal sealed record RosterSnapshot(
    IReadOnlyList<BenchSeat> Seats,
    IReadOnlyDictionary<string, string> KindOf,
    IReadOnlyList<BenchCategory> Categories,
    int HighestOfficerNumber,
    bool HasPools)
{
    public int Officers => Seats.Sum(s => s.Holders.Length);

    public static async Task<RosterSnapshot> ReadAsync(NpgsqlDataSource db)
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand("select id, kind from jurisdictions.jurisdiction"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                kinds[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var seats = new List<BenchSeat>();
        await using (var cmd = db.CreateCommand(
            """
            select p.id, p.department_id, p.jurisdiction_id, p.supervisor_position_id, j.kind, j.path,
                   coalesce((select array_agg(o.id order by o.id) from officers.officer o where o.position_id = p.id), '{}')
            from officers.position p join jurisdictions.jurisdiction j on j.id = p.jurisdiction_id
            order by p.id
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                seats.Add(new BenchSeat(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6)));
            }
        }

        var categories = new List<BenchCategory>();
        await using (var cmd = db.CreateCommand("select id, department_id, resolution_level from catalogue.categories where retired_at is null order by id"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                categories.Add(new BenchCategory(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        int highest;
        await using (var cmd = db.CreateCommand("select coalesce(max(substr(id, 5)::bigint), 0)::int from officers.officer"))
        {
            highest = (int)(await cmd.ExecuteScalarAsync())!;
        }

        bool pools;
        await using (var cmd = db.CreateCommand(
            "select exists (select 1 from information_schema.columns where table_schema = 'officers' and table_name = 'position' and column_name = 'pool_capacity')"))
        {
            pools = (bool)(await cmd.ExecuteScalarAsync())!;
        }

        return new RosterSnapshot(seats, kinds, categories, highest, pools);
    }

    /// <summary>The district a place lies in (itself if it is one); null above district level.</summary>
    public string? DistrictOf(BenchSeat seat) => seat.PathRootFirst.FirstOrDefault(id => KindOf.GetValueOrDefault(id) == "District");
}
