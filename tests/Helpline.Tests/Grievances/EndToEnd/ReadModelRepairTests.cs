using Helpline.Grievances.Jobs;
using Helpline.Platform.Orleans;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// A change left half done heals by itself: its projection-outbox row stays, and the repair job has the grain tell its
/// officer and write its read-model row again, trusting neither to be there. Simulated by removing the read-model row
/// and putting back an outbox row that has been waiting longer than the grace period.
/// </summary>
public sealed class ReadModelRepairTests : HostedTest
{
    [Fact]
    public async Task A_lost_read_model_write_is_repaired_from_the_outbox_and_the_outbox_row_is_acknowledged()
    {
        var category = (await Host.GraphQLAsync("{ categories(departmentId: \"revenue\") { id resolutionLevel } }")).Get("categories").AsArray()
            .First(c => c!["resolutionLevel"]!.GetValue<string>() == "DISTRICT")!["id"]!.GetValue<string>();
        var registered = await Host.GraphQLAsync(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber level officer { id } } }",
            new
            {
                i = new
                {
                    clientRequestId = "repair-1",
                    kind = "COMPLAINT",
                    complainant = new { name = "Asha", mobile = "9415012345" },
                    jurisdictionId = "district:162",
                    categoryId = category,
                    description = "Mutation pending for months",
                    channel = "PHONE",
                    agentId = "agent-2",
                },
            });
        var reference = registered.Get("registerGrievance.referenceNumber").GetValue<string>();

        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        async Task<long> Scalar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        // The loss: the state (version 1) is stored, its outbox row is back, but the read model lost the row. (A change
        // and its row commit together; the outbox entry stays when the officer was not told, and the repair then
        // writes the row again too, which this checks.) The registration's own entry is acknowledged first.
        await Wait.UntilAsync(() => Scalar("select count(*) from orleans.projection_outbox"), n => n == 0, "the registration to be acknowledged");
        await Scalar($"delete from grievances.grievance where reference_number = '{reference}'");
        await Scalar("insert into orleans.projection_outbox (state_name, grain_key, version, written_at) values ('grievance', 'g:repair-1', 1, now() - interval '5 minutes')");

        var grains = Host.Services.GetRequiredService<IGrainFactory>();
        var outbox = Host.Services.GetRequiredService<ProjectionOutbox>();

        // The grain still runs with its activation's cache of "projected": the repair must not trust it.
        var repaired = await new ReadModelRepairJob(outbox, grains, Host.Services.GetRequiredService<ProjectionMetrics>(), NullLogger<ReadModelRepairJob>.Instance).RepairAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new ReadModelRepairJob.Outcome(1, 0), repaired);
        Assert.Equal(1, await Scalar($"select count(*) from grievances.grievance where reference_number = '{reference}' and status = 'Open'"));
        Assert.Equal(2, await Scalar($"select count(*) from grievances.timeline_event where reference_number = '{reference}'"));
        Assert.Equal(0, await Scalar("select count(*) from orleans.projection_outbox"));
        var listed = await Host.GraphQLAsync("{ grievances(filter: { jurisdictionId: \"district:162\" }) { nodes { referenceNumber } } }");
        Assert.Contains(listed.Get("grievances.nodes").AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == reference);
    }
}
