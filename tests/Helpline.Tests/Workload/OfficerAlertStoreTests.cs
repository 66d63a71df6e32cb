using System.Text.Json;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Helpline.Workload.Alerts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Helpline.Tests.Workload;

/// <summary>
/// Officers' alerts in <c>workload.officer_alert</c>: a redelivered batch adds nothing, <c>Officer.alerts</c> reads the
/// newest first (at most 200, or <c>first</c>), and the retention sweep deletes only what is older than 90 days.
/// </summary>
public sealed class OfficerAlertStoreTests : HostedTest
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_redelivered_batch_adds_no_alert()
    {
        var officer = await SomeOfficer();
        var events = new[]
        {
            Event(TimelineEventType.AtRisk, 2, officer, "75% of the L1 allowance (7 calendar days) is used; due 2026-11-09 04:30:00 UTC."),
            Event(TimelineEventType.Breached, 3, "OFF-somebody-else"),
            Event(TimelineEventType.Escalated, 4, officer),
        };

        await Deliver(events);
        await Deliver(events);

        var alerts = (await Host.GraphQLAsync("query($o: String!) { officer(id: $o) { alerts { kind } } }", new { o = officer })).Get("officer.alerts").AsArray();
        Assert.Equal(["AT_RISK", "ESCALATED_TO_YOU"], alerts.Select(a => a!["kind"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Alerts_are_read_newest_first_at_most_200_or_first_and_old_ones_are_swept()
    {
        var officer = await SomeOfficer();
        await Deliver([.. Enumerable.Range(1, 205).Select(i => Event(TimelineEventType.Escalated, 4, officer, at: At.AddMinutes(i), reference: $"26{i:D10}"))]);

        const string query = "query($o: String!, $f: Int) { officer(id: $o) { alerts(first: $f) { at } } }";
        var all = (await Host.GraphQLAsync(query, new { o = officer, f = (int?)null })).Get("officer.alerts").AsArray().Select(a => a!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(Enumerable.Range(6, 200).Reverse().Select(i => At.AddMinutes(i)), all);
        var three = (await Host.GraphQLAsync(query, new { o = officer, f = 3 })).Get("officer.alerts").AsArray().Select(a => a!["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal([At.AddMinutes(205), At.AddMinutes(204), At.AddMinutes(203)], three);
        // Below 1 the field refuses it; above its largest page the transport does, before anything runs.
        foreach (var (bad, expected) in new[] { (0, ("INVALID_VALUE", "first")), (201, ("PAGE_TOO_LARGE", "officer.alerts.first")) })
        {
            var refused = await Host.GraphQLAsync(query, new { o = officer, f = bad });
            Assert.Equal(expected, (refused.FirstErrorCode, refused.FirstErrorField));
        }

        var deleted = await Host.Services.GetRequiredService<OfficerAlerts>().DeleteOlderThanAsync(At.AddMinutes(101), TestContext.Current.CancellationToken);
        Assert.Equal(100, deleted);
        var left = (await Host.GraphQLAsync(query, new { o = officer, f = 200 })).Get("officer.alerts").AsArray();
        Assert.Equal((105, At.AddMinutes(101)), (left.Count, left[^1]!["at"]!.GetValue<DateTimeOffset>()));
    }

    private async Task<string> SomeOfficer() =>
        (await Host.GraphQLAsync("{ jurisdiction(id: \"district:162\") { positions { holder { id } } } }")).Get("jurisdiction.positions").AsArray()
            .Select(p => p!["holder"]?["id"]?.GetValue<string>()).First(id => id is not null)!;

    // The subscriber as the dispatcher calls it: one batch in one transaction.
    private async Task Deliver(IReadOnlyList<GrievanceEvent> events)
    {
        var subscriber = Host.Services.GetServices<IEventSubscriber>().Single(s => s.Name == "workload.alerts");
        var batch = events.Select((e, i) => new IntegrationEvent(
            e.EventId, i + 1, "0", GrievanceEvents.Stream, e.ReferenceNumber, e.Sequence, e.Type.ToString(), e.At,
            JsonSerializer.Serialize(e, GrievanceEventJson.Default.GrievanceEvent))).ToList();
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await subscriber.HandleAsync(batch, new EventBatchContext(connection, transaction), TestContext.Current.CancellationToken);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    // The reference number need not exist: an unlimited caller's read is not filtered by the read model.
    private static GrievanceEvent Event(TimelineEventType type, int sequence, string officer, string? note = null, DateTimeOffset? at = null, string reference = "260000001237") =>
        new(EventIds.For(GrievanceEvents.Stream, reference, sequence), type, reference, sequence, at ?? At, "system", note,
            GrievanceKind.Complaint, officer, null, 2, "rural-development", null, "district:162", null);
}
