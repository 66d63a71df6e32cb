using System.Diagnostics.Metrics;
using System.Globalization;
using Helpline.Grievances.Jobs;
using Helpline.Platform.Orleans;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// Issue 8, defect 1: an import whose read-model write fails. Offsets other than UTC are stored (the write normalises
/// every instant to UTC); a record whose write fails for another reason is answered on its own (IMPORT_FAILED) while
/// the batch's other records are imported; the repair job reports it as failed (not re-projected); the health check
/// is Degraded and the stuck gauge counts it; once the cause is gone the repair heals it and all is well again.
/// </summary>
public sealed class StuckProjectionTests : IAsyncLifetime
{
    private const string Mutation = """
        mutation($records: [ImportGrievanceInput!]!) {
          importGrievances(records: $records) { sourceId outcome referenceNumber errorCode errorMessage grievance { registeredAt dueAt closedAt } }
        }
        """;

    private TestDatabase _db = null!;
    private HelplineTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _host = await HelplineTestHost.StartAsync(_db.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

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

    private async Task<long> Sql(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Non_UTC_offsets_are_stored_as_UTC_and_readable_by_reference_number()
    {
        var results = (await _host.GraphQLAsync(Mutation, new
        {
            records = new[]
            {
                Record("off-1", "Pothole on MG Road", "2026-11-01T10:00:00+05:30", "2026-11-03T10:00:00-05:00"),
                Record("off-2", "Pothole near school", "2026-10-01T10:00:00-05:00", "2026-10-02T10:00:00+05:30", "2026-10-02T12:00:00+05:30"),
            },
        }, HelplineTestHost.ImportToken)).Get("importGrievances").AsArray();

        Assert.All(results, r => Assert.Equal("IMPORTED", r!["outcome"]!.GetValue<string>()));
        var reference = results[0]!["referenceNumber"]!.GetValue<string>();
        var found = await _host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { registeredAt dueAt } }", new { r = reference });
        Assert.Null(found.Errors);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 4, 30, 0, TimeSpan.Zero), found.Get("grievance.registeredAt").GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 15, 0, 0, TimeSpan.Zero), found.Get("grievance.dueAt").GetValue<DateTimeOffset>());
        Assert.Equal(0, await Sql("select count(*) from orleans.projection_outbox"));
        Assert.Equal(2, await Sql("select count(*) from grievances.grievance"));
    }

    [Fact]
    public async Task A_record_whose_write_fails_is_answered_alone_reported_as_failed_visible_to_operators_and_healed_once_fixed()
    {
        var ct = TestContext.Current.CancellationToken;

        // A fault in the read model for one record only (a trigger refuses its row), the rest of the batch is fine.
        await Sql("""
            create function grievances.test_refuse_boom() returns trigger language plpgsql as $$
            begin if new.description = 'boom' then raise exception 'test fault'; end if; return new; end $$;
            create trigger test_refuse_boom before insert or update on grievances.grievance for each row execute function grievances.test_refuse_boom();
            select 0
            """);
        var results = (await _host.GraphQLAsync(Mutation, new
        {
            records = new[] { Record("ok-1", "fine", "2026-11-01T10:00:00Z"), Record("bad-1", "boom", "2026-11-01T10:00:00Z"), Record("ok-2", "fine too", "2026-11-01T11:00:00Z") },
        }, HelplineTestHost.ImportToken)).Get("importGrievances").AsArray();

        Assert.Equal(["IMPORTED", "REJECTED", "IMPORTED"], results.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal("IMPORT_FAILED", results[1]!["errorCode"]!.GetValue<string>());
        Assert.Null(results[1]!["referenceNumber"]);

        // The stuck row has waited past the grace period.
        Assert.Equal(1, await Sql("select count(*) from orleans.projection_outbox"));
        await Sql("update orleans.projection_outbox set written_at = now() - interval '5 minutes'; select 0");

        var metrics = _host.Services.GetRequiredService<ProjectionMetrics>();
        var job = new ReadModelRepairJob(_host.Services.GetRequiredService<ProjectionOutbox>(), _host.Services.GetRequiredService<IGrainFactory>(), metrics, NullLogger<ReadModelRepairJob>.Instance);
        Assert.Equal(new ReadModelRepairJob.Outcome(0, 1), await job.RepairAsync(ct));
        Assert.Equal(1, StuckGauge());
        var health = await _host.Http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync(ct));

        // The cause is fixed: the next repair (this one, or the scheduled one if it came first) heals the grievance.
        await Sql("drop trigger test_refuse_boom on grievances.grievance; select 0");
        var healed = await job.RepairAsync(ct);
        Assert.Equal(0, healed.Failed);
        Assert.Equal(0, await Sql("select count(*) from orleans.projection_outbox"));
        Assert.Equal(1, await Sql("select count(*) from grievances.grievance where description = 'boom'"));
        Assert.Equal(0, StuckGauge());
        health = await _host.Http.GetAsync(new Uri("/health", UriKind.Relative), ct);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(ct));
    }

    // Reads the gauge through the metrics API, as an exporter would, from this host's meter only.
    private long StuckGauge()
    {
        var factory = _host.Services.GetRequiredService<IMeterFactory>();
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
