using Helpline.CallBacks.Outcomes;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// Exactly one call-back per disposal, however often its event is delivered; an outcome recorded but not applied (the
/// service stopped between the two) is applied once by the repair, however often it runs.
/// </summary>
public sealed class CallBackDeliveryTests : CallBackTest
{
    [Fact]
    public async Task Every_event_delivered_again_creates_no_second_call_back()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var (other, _, _) = await DisposedAsync();

        // As the dispatcher does after a crash before its checkpoint: the whole log, handed over again, twice.
        var log = await GrievanceLogAsync();
        await DeliverAgainAsync(log);
        await DeliverAgainAsync(log);

        Assert.Equal([callBack], (await CallBacksOfAsync(reference)).Select(c => c.Id));
        Assert.Single(await CallBacksOfAsync(other));
        Assert.Equal(2L, await Sql.ScalarAsync<long>("select count(*) from callbacks.call_back"));
    }

    [Fact]
    public async Task An_outcome_recorded_but_not_applied_is_applied_once_by_the_repair()
    {
        var (reference, _, callBack) = await DisposedAsync();
        await NextAsync("cb-1", await CampaignOfAsync(callBack));
        Assert.Equal("CLOSED", (await RecordAsync("cb-1", callBack, "SATISFIED")).Get("recordCallBackOutcome.grievanceStatus").GetValue<string>());

        // As if the service had stopped after recording and before telling the grievance.
        await Sql.ExecuteAsync($"update callbacks.call_back set applied = false where id = '{callBack}'");
        var repair = Host.Services.GetRequiredService<OutcomeRecorder>();
        Assert.Equal(0, await repair.ApplyPendingAsync(Host.Clock.GetUtcNow().AddSeconds(-30), TestContext.Current.CancellationToken)); // within the grace: the live path's
        Host.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await repair.ApplyPendingAsync(Host.Clock.GetUtcNow().AddSeconds(-30), TestContext.Current.CancellationToken));
        Assert.Equal(0, await repair.ApplyPendingAsync(Host.Clock.GetUtcNow().AddSeconds(-30), TestContext.Current.CancellationToken));

        var timeline = (await GrievanceAsync(reference))["timeline"]!.AsArray();
        Assert.Single(timeline, e => e!["type"]!.GetValue<string>() == "CLOSED");
        Assert.True(await Sql.ScalarAsync<bool>($"select applied from callbacks.call_back where id = '{callBack}'"));
    }

    private async Task<List<IntegrationEvent>> GrievanceLogAsync()
    {
        await using var cmd = Sql.CreateCommand(
            "select event_id, position, stream, stream_key, stream_seq, type, occurred_at, payload::text from events.event_log where stream = 'grievance' order by position");
        var list = new List<IntegrationEvent>();
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add(new IntegrationEvent(r.GetGuid(0), r.GetInt64(1), "0", r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.GetString(7)));
        }

        return list;
    }

    private async Task DeliverAgainAsync(IReadOnlyList<IntegrationEvent> events)
    {
        var ct = TestContext.Current.CancellationToken;
        var subscriber = Host.Services.GetServices<IEventSubscriber>().Single(s => s.Name == "callbacks.disposals");
        await using var conn = await Sql.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await subscriber.HandleAsync(events, new EventBatchContext(conn, tx), ct);
        await tx.CommitAsync(ct);
    }
}
