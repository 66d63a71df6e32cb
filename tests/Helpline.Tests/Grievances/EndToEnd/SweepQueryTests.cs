using Helpline.Grievances.ReadModel;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The sweeps' holder queries hop along an index from one holder to the next instead of reading every open row: they
/// must answer exactly what "select distinct" answers, whatever lies between the holders in the index.
/// </summary>
public sealed class SweepQueryTests : HostedTest
{
    private int _next;

    private async Task Insert(string position, string officer, string status = "Open", bool due = true)
    {
        var reference = $"S{Interlocked.Increment(ref _next):D11}";
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(
            """
            insert into grievances.grievance (
                reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile, jurisdiction_id,
                jurisdiction_path, category_id, department_id, description, position_id, officer_id, level, registered_at,
                due_at, breached, breached_at_top, registered_by, version, last_changed_at)
            values ($1, $1, 'Complaint', $2, 'Phone', 'Ramesh Kumar', '9415012345', 'district:162', array['district:162', 'state:9'],
                    'cat', 'rural-development', 'x', $3, $4, 1, now(), case when $5 then now() + interval '7 days' end,
                    false, false, 'agent-test', 1, now())
            """, conn);
        foreach (var v in new object[] { reference, status, position, officer, due })
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<string>> DistinctAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task The_holder_queries_answer_exactly_the_distinct_holders_of_open_grievances()
    {
        var queries = Host.Services.GetRequiredService<GrievanceQueries>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Empty(await queries.OpenHoldingsAsync(ct));
        Assert.Empty(await queries.OfficersWithOpenDeadlinesAsync(ct));

        await Insert("P1", "O1");
        await Insert("P1", "O1");
        await Insert("P1", "O2", due: false);
        await Insert("P2", "O1", status: "Resolved");
        await Insert("P2", "O3");
        await Insert("P0", "O9", status: "Closed");
        await Insert("P3", "O1", due: false);
        await Insert("P4", "O4", due: false);   // O4's first open rows have no due date; a later one has
        await Insert("P4", "O4", due: false);
        await Insert("P5", "O4");
        await Insert("P6", "O5", due: false);   // open, but nothing due
        await Insert("P7", "O6", status: "Resolved");

        var holdings = (await queries.OpenHoldingsAsync(ct)).Select(h => $"{h.PositionId}/{h.OfficerId}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["P1/O1", "P1/O2", "P2/O3", "P3/O1", "P4/O4", "P5/O4", "P6/O5"], holdings);
        Assert.Equal(
            await DistinctAsync("select distinct position_id || '/' || officer_id from grievances.grievance where status = 'Open'"),
            holdings);

        var officers = (await queries.OfficersWithOpenDeadlinesAsync(ct)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["O1", "O3", "O4"], officers);
        Assert.Equal(
            await DistinctAsync("select distinct officer_id from grievances.grievance where status = 'Open' and due_at is not null"),
            officers);
    }
}
