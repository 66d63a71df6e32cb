using System.Text.Json;
using System.Text.Json.Serialization;
using Helpline.Accountability;
using Helpline.Accountability.Facts;
using Helpline.Accountability.Flags;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Events;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Platform.Access;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Accountability;

/// <summary>
/// The real host over a fresh database, with what accountability tests do: feed grievance and call-back events to the
/// module's subscriber as the dispatcher does (in a transaction of their own), read the facts it recorded, seed facts,
/// and run the flagging as its Quartz job does. The module's own jobs are paused so they do not race the tests.
/// The fake clock starts at 2026-11-02 04:30 UTC.
/// </summary>
public abstract class AccountabilityTest() : HostedTest(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 4, 30, 0, TimeSpan.Zero)))
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private long _position;

    protected NpgsqlDataSource Sql { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Sql = Db.CreateDataSource();
        var scheduler = await Host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        await scheduler.PauseJob(FlagJob.Key, TestContext.Current.CancellationToken);
        await scheduler.PauseJob(RankingJob.Key, TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await Sql.DisposeAsync();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Hands the events to the fact subscriber in one transaction, as one batch of the dispatcher.</summary>
    protected async Task FeedAsync(params object[] events)
    {
        var subscriber = Host.Services.GetServices<IEventSubscriber>().OfType<FactSubscriber>().Single();
        var batch = events.Select(e => e switch
        {
            GrievanceEvent g => new IntegrationEvent(g.EventId, ++_position, "0", GrievanceEvents.Stream, g.ReferenceNumber, g.Sequence, g.Type.ToString(), g.At, JsonSerializer.Serialize(g, Json)),
            CallBackEvent c => new IntegrationEvent(c.EventId, ++_position, "0", CallBackEvents.Stream, c.CallBackId.ToString(), c.Sequence, c.Type, c.At, JsonSerializer.Serialize(c, Json)),
            _ => throw new ArgumentException("Not an event", nameof(events)),
        }).ToList();
        await using var connection = await Sql.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var tx = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await subscriber.HandleAsync(batch, new EventBatchContext(connection, tx), TestContext.Current.CancellationToken);
        await tx.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A grievance event of a made-up grievance (the subscriber knows grievances by their events alone).</summary>
    protected static GrievanceEvent Event(
        string reference, int sequence, TimelineEventType type, DateTimeOffset at, string officer, string position = "POS-1", int level = 1,
        DateTimeOffset? due = null, string actor = "system", string? note = null, bool? breached = null, bool? breachedAtTop = null) =>
        new(EventIds.For("test", reference, sequence), type, reference, sequence, at, actor, note, GrievanceKind.Complaint, officer, position, level,
            "rural-development", "cat-1", "district:162", due, breached, breachedAtTop);

    /// <summary>A call-back attempt on the disposal <paramref name="disposalSequence"/> of a made-up grievance, disposed of by <paramref name="officer"/>.</summary>
    protected static CallBackEvent CallBack(string reference, int disposalSequence, DateTimeOffset at, string officer, CallBackOutcome outcome) =>
        new(EventIds.For("test-callback", reference, disposalSequence), "AttemptRecorded", Guid.NewGuid(), reference, disposalSequence, 1, at, "cb-agent",
            outcome, outcome == CallBackOutcome.Satisfied ? CallBackState.Satisfied : CallBackState.Dissatisfied, 3,
            outcome == CallBackOutcome.Dissatisfied ? "Still not repaired" : null, null, officer, "POS-1", 1, "rural-development", "district:162", "district:162", null);

    /// <summary>The facts recorded about a grievance: kind, officer, whether excused, whether cleared; oldest first.</summary>
    protected async Task<IReadOnlyList<(string Kind, string Officer, bool Excused, bool Cleared)>> FactsAsync(string reference)
    {
        await using var cmd = Sql.CreateCommand("select kind, officer_id, excused is not null, cleared_at is not null from accountability.fact where reference_number = $1 order by sequence, kind");
        cmd.Parameters.AddWithValue(reference);
        var list = new List<(string, string, bool, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add((r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3)));
        }

        return list;
    }

    /// <summary>Seeds facts directly: <paramref name="count"/> of <paramref name="kind"/> against the officer in November 2026.</summary>
    protected async Task SeedAsync(string officer, string kind, int count, string? supervisor = "SUP-1", string district = "district:162", bool onTime = true, string prefix = "")
    {
        await using var cmd = Sql.CreateCommand("""
            insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id, supervisor_officer_id,
                                             department_id, jurisdiction_id, district_id, on_time, recorded_at)
            select gen_random_uuid(), $2, $5 || lpad(g::text, 6, '0'), 3, timestamptz '2026-11-10 06:00Z' + g * interval '1 minute', $1, 'POS-' || $1, 1,
                   'POS-' || $4, $4, 'rural-development', $6, $6, $7, timestamptz '2026-11-10 06:00Z'
            from generate_series(1, $3) g
            """);
        cmd.Parameters.AddWithValue(officer);
        cmd.Parameters.AddWithValue(kind);
        cmd.Parameters.AddWithValue(count);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)supervisor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(prefix.Length > 0 ? prefix : officer + "-" + kind + "-");
        cmd.Parameters.AddWithValue(district);
        cmd.Parameters.AddWithValue(onTime);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs every rule over November 2026, as the flagging job does for a period.</summary>
    protected Task<(int Raised, int Withdrawn)> FlagNovemberAsync() =>
        Host.Services.GetRequiredService<Flagging>().RunAsync(
            Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountabilityOptions>>().Value.RulesInForce,
            Period.Month(new DateOnly(2026, 11, 1)), Host.Clock.GetUtcNow(), TestContext.Current.CancellationToken);

    /// <summary>The flags raised in November 2026: officer, rule, status, figures, evidence.</summary>
    protected async Task<IReadOnlyList<(string Officer, string Rule, string Status, string Figures, string[] Evidence, string? Supervisor)>> FlagsAsync()
    {
        await using var cmd = Sql.CreateCommand("select officer_id, rule, status, figures, evidence, supervisor_officer_id from accountability.flag where period = '2026-11' order by officer_id, rule");
        var list = new List<(string, string, string, string, string[], string?)>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }

        return list;
    }

    protected static string AdministratorToken => DefaultCallers.TokenOf(Role.Administrator, DefaultCallers.Administrator);

    protected static string SupervisorToken(string officer) => DefaultCallers.TokenOf(Role.Supervisor, officer);
}
