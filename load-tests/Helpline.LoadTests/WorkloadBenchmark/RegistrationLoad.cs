using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Helpline.LoadTests.WorkloadBenchmark;

/// <summary>Registration into the pool against registration into a single seat, and where the pool's registrations went.</summary>
/// <param name="PoolSeat">The pool's position.</param>
/// <param name="PoolMembers">Its members.</param>
/// <param name="SingleSeat">The single seat's position.</param>
/// <param name="Pool">registerGrievance routed to the pool.</param>
/// <param name="Single">registerGrievance routed to the single seat (the reference).</param>
/// <param name="MembersChosen">Distinct pool members holding the pool's measured registrations, read back from the read model.</param>
/// <param name="MostToOneMember">The most of them one member got.</param>
internal sealed record RegistrationFigures(
    string PoolSeat, int PoolMembers, string SingleSeat, Percentiles Pool, Percentiles Single, int MembersChosen, int MostToOneMember)
{
    /// <summary>What the pool's choice adds to registration at p99 (ms).</summary>
    public double AddedP99 => Pool.P99 - Single.P99;

    public double Ratio => Pool.P99 / Single.P99;
}

/// <summary>registerGrievance with an agent token, one at a time, alternating between the pool's block and the single seat's.</summary>
internal static class RegistrationLoad
{
    public const string AgentId = "workload-bench-agent";

    private const string Register =
        "mutation Register($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber } }";

    public static async Task<RegistrationFigures> RunAsync(BenchGraphQL gql, NpgsqlDataSource db, string token, WorkloadPlan plan, WorkloadBenchArguments a, Action<string> log)
    {
        var (pool, single, category) = (plan.PoolSeat!, plan.SingleSeat!, plan.RegistrationCategory!);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (poolHistogram, singleHistogram) = (Percentiles.NewHistogram(), Percentiles.NewHistogram());
        var poolReferences = new List<string>();
        for (var i = -a.Warmup; i < a.Registrations; i++)
        {
            foreach (var toPool in i % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var seat = toPool ? pool : single;
                var n = i + a.Warmup;
                var (data, micros) = await gql.SendAsync(token, Register, new
                {
                    input = new
                    {
                        clientRequestId = $"wb-{run}-{(toPool ? "pool" : "single")}-{n:D6}",
                        kind = "COMPLAINT",
                        channel = "PHONE",
                        agentId = AgentId,
                        complainant = new { name = "Workload Bench Caller", mobile = "94160" + (n % 100_000).ToString("D5", CultureInfo.InvariantCulture) },
                        jurisdictionId = seat.JurisdictionId,
                        categoryId = category.Id,
                        description = "Workload benchmark registration " + n.ToString(CultureInfo.InvariantCulture),
                    },
                });
                if (i >= 0)
                {
                    (toPool ? poolHistogram : singleHistogram).RecordValue(micros);
                    if (toPool)
                    {
                        poolReferences.Add(data["registerGrievance"]!["referenceNumber"]!.GetValue<string>());
                    }
                }
            }

            if (i >= 0 && (i + 1) % 100 == 0)
            {
                log($"  registrations: {i + 1} of {a.Registrations} into each seat measured");
            }
        }

        var (members, most) = await WhereTheyWentAsync(db, poolReferences, pool.Id);
        log($"pool registrations went to {members} of the {a.Pool} members (at most {most} to one)");
        return new RegistrationFigures(pool.Id, a.Pool, single.Id, Percentiles.Of(poolHistogram), Percentiles.Of(singleHistogram), members, most);
    }

    // The read model is written after the grain answers: wait (at most a minute) until every registration is in it.
    private static async Task<(int Members, int Most)> WhereTheyWentAsync(NpgsqlDataSource db, List<string> references, string poolSeat)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var cmd = db.CreateCommand(
                "select officer_id, count(*)::int from grievances.grievance where reference_number = any($1) and position_id = $2 group by officer_id");
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. references] });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = poolSeat });
            var counts = new List<int>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    counts.Add(reader.GetInt32(1));
                }
            }

            if (counts.Sum() == references.Count)
            {
                return (counts.Count, counts.Max());
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"Only {counts.Sum()} of the pool's {references.Count} registrations reached the read model at {poolSeat} within a minute.");
            }

            await Task.Delay(200);
        }
    }
}
