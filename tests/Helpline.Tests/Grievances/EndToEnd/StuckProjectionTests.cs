using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Helpline.Grievances.Jobs;
using Helpline.Platform.Orleans;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Issue 8, defect 1: an import whose read-model write fails. Offsets other than UTC are stored (the write normalises
/// every instant to UTC). A grievance's state is stored in the transaction that writes its read model (issue 17), so
/// a record the read model refuses for good is answered on its own (IMPORT_FAILED) and leaves nothing behind, and it
/// imports cleanly when sent again corrected (a refused registration likewise); a write that may pass is answered
/// IMPORT_INTERRUPTED and keeps nothing either. A stored change whose officers were not told stays in the outbox: the
/// repair job reports it as failed while it cannot write it again, the health check is Degraded and the stuck gauge
/// counts it; once the cause is gone the repair heals it.
/// </summary>
public sealed class StuckProjectionTests : HostedTest
{
    private const string Mutation = """
        mutation($records: [ImportGrievanceInput!]!) {
          importGrievances(records: $records) { sourceId outcome referenceNumber errorCode errorMessage grievance { registeredAt dueAt closedAt } }
        }
        """;

    private static object Record(string id, string description, string opened, string? due = null, string? closed = null) => new
    {
        source = "citya",
        sourceName = "City A",
        timeZone = "Asia/Kolkata",
        sourceId = id,
        department = "Roads",
        category = "Pothole",
        area = "Ward 1",
        description,
        registeredAt = opened,
        dueAt = due,
        closedAt = closed,
        closure = closed is null ? null : "Fixed",
    };

    private Task<long> Sql(string sql) => Db.ScalarAsync(sql);

    [Fact]
    public async Task Non_UTC_offsets_are_stored_as_UTC_and_readable_by_reference_number()
    {
        var results = (await Host.GraphQLAsync(Mutation, new
        {
            records = new[]
            {
                Record("off-1", "Pothole on MG Road", "2026-11-01T10:00:00+05:30", "2026-11-03T10:00:00-05:00"),
                Record("off-2", "Pothole near school", "2026-10-01T10:00:00-05:00", "2026-10-02T10:00:00+05:30", "2026-10-02T12:00:00+05:30"),
            },
        }, DefaultCallers.ImporterToken)).Get("importGrievances").AsArray();

        Assert.All(results, r => Assert.Equal("IMPORTED", r!["outcome"]!.GetValue<string>()));
        var reference = results[0]!["referenceNumber"]!.GetValue<string>();
        var found = await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { registeredAt dueAt } }", new { r = reference });
        Assert.Null(found.Errors);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 4, 30, 0, TimeSpan.Zero), found.Get("grievance.registeredAt").GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 15, 0, 0, TimeSpan.Zero), found.Get("grievance.dueAt").GetValue<DateTimeOffset>());
        await OutboxEmpty();
        Assert.Equal(2, await Sql("select count(*) from grievances.grievance"));
    }

    private Task<long> Refuse(string description, string sqlState) => Sql($"""
        create function grievances.test_refuse() returns trigger language plpgsql as $$
        begin if new.description = '{description}' then raise exception 'test fault' using errcode = '{sqlState}'; end if; return new; end $$;
        create trigger test_refuse before insert or update on grievances.grievance for each row execute function grievances.test_refuse();
        select 0
        """);

    // A change's outbox entry is acknowledged just after its caller is answered (with other grievances' next writes):
    // every entry goes within moments, and one that stays fails the wait.
    private Task<long> OutboxEmpty() =>
        Wait.UntilAsync(() => Sql("select count(*) from orleans.projection_outbox"), n => n == 0, "every grievance change to be acknowledged");

    private Task<long> StopRefusing() => Sql("drop trigger test_refuse on grievances.grievance; drop function grievances.test_refuse(); select 0");

    private async Task<JsonArray> Import(params object[] records) =>
        (await Host.GraphQLAsync(Mutation, new { records }, DefaultCallers.ImporterToken)).Get("importGrievances").AsArray();

    // Stored state of a grain: payload present (1), cleared (0), or never stored (-1).
    private Task<long> StoredState(string grainKey) => Sql(
        $"select coalesce((select case when payload_binary is null then 0 else 1 end from orleans.grain_state where grain_id_extension = '{grainKey}' and state_name = 'grievance'), -1)");

    [Fact]
    public async Task A_record_the_read_model_refuses_leaves_nothing_behind_and_imports_cleanly_when_sent_again_corrected()
    {
        // A value the read model refuses for good (a trigger raising an ordinary error), for this record only.
        await Refuse("boom", "P0001");
        var results = await Import(Record("ok-1", "fine", "2026-11-01T10:00:00Z"), Record("bad-1", "boom", "2026-11-01T10:00:00Z"), Record("ok-2", "fine too", "2026-11-01T11:00:00Z"));

        Assert.Equal(["IMPORTED", "REJECTED", "IMPORTED"], results.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal("IMPORT_FAILED", results[1]!["errorCode"]!.GetValue<string>());
        Assert.Contains("Nothing of it was kept", results[1]!["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(results[1]!["referenceNumber"]);

        // Nothing behind: no state, no outbox entry, no read-model row, no event; the repair has nothing to do.
        Assert.Equal(-1, await StoredState("g:import:citya:bad-1"));
        Assert.Equal(1, await StoredState("g:import:citya:ok-1"));
        await OutboxEmpty();
        Assert.Equal(2, await Sql("select count(*) from grievances.grievance"));
        Assert.Equal(2, await Sql("select count(distinct stream_key) from events.event_log where stream = 'grievance'"));
        Assert.Equal(new ReadModelRepairJob.Outcome(0, 0), await RepairJob().RepairAsync(TestContext.Current.CancellationToken));

        // Sent again as it was, it is refused again (not ALREADY_PRESENT for a grievance nobody can read)...
        var again = await Import(Record("bad-1", "boom", "2026-11-01T10:00:00Z"));
        Assert.Equal(("REJECTED", "IMPORT_FAILED"), (again[0]!["outcome"]!.GetValue<string>(), again[0]!["errorCode"]!.GetValue<string>()));

        // ...and corrected, it is imported (not IDEMPOTENCY_KEY_REUSED against the content taken back), readable and listed.
        var corrected = await Import(Record("bad-1", "boom, corrected", "2026-11-01T10:00:00Z"));
        Assert.Equal("IMPORTED", corrected[0]!["outcome"]!.GetValue<string>());
        var reference = corrected[0]!["referenceNumber"]!.GetValue<string>();
        var found = await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { description } }", new { r = reference });
        Assert.Equal("boom, corrected", found.Get("grievance.description").GetValue<string>());
        Assert.Equal("IMPORTED", (await Import(Record("ok-3", "fine again", "2026-11-01T12:00:00Z")))[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("ALREADY_PRESENT", (await Import(Record("bad-1", "boom, corrected", "2026-11-01T10:00:00Z")))[0]!["outcome"]!.GetValue<string>());
        await OutboxEmpty();
    }

    [Fact]
    public async Task A_registration_the_read_model_refuses_is_taken_back_and_the_same_request_registers_once_fixed()
    {
        await Refuse("Pothole nobody may see", "P0001");
        var category = (await Host.GraphQLAsync("{ categories(departmentId: \"revenue\") { id } }")).Get("categories").AsArray()[0]!["id"]!.GetValue<string>();
        var input = new
        {
            clientRequestId = "refused-1",
            kind = "COMPLAINT",
            complainant = new { name = "Asha", mobile = "9415012345" },
            jurisdictionId = "district:162",
            categoryId = category,
            description = "Pothole nobody may see",
            channel = "PHONE",
            agentId = "agent-1",
        };
        const string Register = "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber officer { id } } }";

        var refused = await Host.GraphQLAsync(Register, new { i = input });
        Assert.NotNull(refused.Errors);
        Assert.Equal(-1, await StoredState("g:refused-1"));
        await OutboxEmpty();
        Assert.Equal(0, await Sql("select count(*) from grievances.grievance"));

        await StopRefusing();
        var registered = await Host.GraphQLAsync(Register, new { i = input });
        Assert.Null(registered.Errors);
        var officer = registered.Get("registerGrievance.officer.id").GetValue<string>();
        Assert.Equal(1, await Sql("select count(*) from grievances.grievance where grain_key = 'g:refused-1'"));

        // The holder was never told of the grievance refused: it counts once in the workload.
        var workload = await Host.GraphQLAsync("query($o: String!) { officer(id: $o) { workload { open } } }", new { o = officer });
        Assert.Equal(1, workload.Get("officer.workload.open").GetValue<int>());
    }

    [Fact]
    public async Task A_write_that_may_pass_is_answered_as_interrupted_keeps_nothing_and_imports_once_when_sent_again()
    {
        // A failure that may pass (a serialization failure, as a lost or overloaded database gives).
        await Refuse("boom", "40001");
        var results = await Import(Record("ok-1", "fine", "2026-11-01T10:00:00Z"), Record("bad-1", "boom", "2026-11-01T10:00:00Z"), Record("ok-2", "fine too", "2026-11-01T11:00:00Z"));

        Assert.Equal(["IMPORTED", "REJECTED", "IMPORTED"], results.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal("IMPORT_INTERRUPTED", results[1]!["errorCode"]!.GetValue<string>());
        Assert.Null(results[1]!["referenceNumber"]);
        Assert.Equal(-1, await StoredState("g:import:citya:bad-1"));
        await OutboxEmpty();

        // Sent again, as the answer said, once the cause is gone: imported once.
        await StopRefusing();
        Assert.Equal("IMPORTED", (await Import(Record("bad-1", "boom", "2026-11-01T10:00:00Z")))[0]!["outcome"]!.GetValue<string>());
        Assert.Equal("ALREADY_PRESENT", (await Import(Record("bad-1", "boom", "2026-11-01T10:00:00Z")))[0]!["outcome"]!.GetValue<string>());
        Assert.Equal(3, await Sql("select count(*) from grievances.grievance"));
        await OutboxEmpty();
    }

    [Fact]
    public async Task A_change_its_officers_were_not_told_of_is_visible_to_operators_and_healed_once_fixed()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("IMPORTED", (await Import(Record("stuck-1", "boom", "2026-11-01T10:00:00Z")))[0]!["outcome"]!.GetValue<string>());

        // As a call to an officer that failed after the change was stored leaves it: its outbox entry stays, past the
        // grace period. And the read model cannot take the repair's write for now.
        await Sql("insert into orleans.projection_outbox (state_name, grain_key, version, written_at) values ('grievance', 'g:import:citya:stuck-1', 1, now() - interval '5 minutes'); select 0");
        await Refuse("boom", "40001");

        var job = RepairJob();
        Assert.Equal(new ReadModelRepairJob.Outcome(0, 1), await job.RepairAsync(ct));
        Assert.Equal(1, StuckGauge());
        var health = await Host.Http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync(ct));

        // The cause is gone: the next repair (this one, or the scheduled one if it came first) heals the grievance.
        await StopRefusing();
        var healed = await job.RepairAsync(ct);
        Assert.Equal(0, healed.Failed);
        await OutboxEmpty();
        Assert.Equal(1, await Sql("select count(*) from grievances.grievance where description = 'boom'"));
        Assert.Equal(0, StuckGauge());
        health = await Host.Http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(ct));
    }

    private ReadModelRepairJob RepairJob() => new(
        Host.Services.GetRequiredService<ProjectionOutbox>(),
        Host.Services.GetRequiredService<IGrainFactory>(),
        Host.Services.GetRequiredService<ProjectionMetrics>(),
        NullLogger<ReadModelRepairJob>.Instance);

    // Reads the gauge through the metrics API, as an exporter would, from this host's meter only.
    private long StuckGauge()
    {
        var factory = Host.Services.GetRequiredService<IMeterFactory>();
        long? seen = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ProjectionMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                    && instrument.Name == "helpline.grievances.projections.stuck")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => seen = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return seen ?? throw new InvalidOperationException("The stuck-projections gauge was not published.");
    }
}
