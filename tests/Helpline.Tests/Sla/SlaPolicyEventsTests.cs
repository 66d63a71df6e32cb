using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Platform.Events;
using Helpline.Platform.SharedData;
using Helpline.Sla;
using Helpline.Sla.Events;
using Helpline.Sla.Storage;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>
/// The administration service, not its GraphQL fields, publishes each committed policy change as an event in the
/// transaction that stores it, so a change from any caller is followed up durably, and a refused or repeated one is not.
/// </summary>
public sealed class SlaPolicyEventsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_committed_policy_change_is_published_once_numbered_per_category_and_nothing_else_is()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        await new DatabaseMigrator(dataSource, [new EventsSchema(), new SlaSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
        var admin = new SlaAdministration(dataSource, new SlaStore(dataSource), Categories, Tree, clock);
        var twoDays = new SlaAllowance(SlaUnit.WorkingDays, 2);

        await admin.SetPolicyAsync(Pension, 2, twoDays, cancellationToken: Ct);
        await admin.SetPolicyAsync(Pension, 2, twoDays, cancellationToken: Ct); // same override again: nothing written
        await Assert.ThrowsAsync<HelplineException>(() => admin.SetPolicyAsync(Pension, 2, new SlaAllowance(SlaUnit.WorkingDays, 0), cancellationToken: Ct));
        clock.Advance(TimeSpan.FromMinutes(5));
        await admin.SetPolicyAsync(Pension, 2, twoDays, 0.5m, Ct);
        Assert.True(await admin.ResetPolicyAsync(Pension, 2, Ct));
        Assert.False(await admin.ResetPolicyAsync(Pension, 2, Ct)); // nothing to remove

        var published = await PublishedAsync(dataSource);
        var events = published.Where(e => e.Stream == SlaPolicyEvents.Stream).Select(SlaPolicyEvents.Read).ToList();
        Assert.Equal(
            [(Pension, 1, 2, false, clock.Start), (Pension, 2, 2, false, clock.Start.AddMinutes(5)), (Pension, 3, 2, true, clock.Start.AddMinutes(5))],
            events.Select(e => (e.CategoryId, e.Version, e.Level, e.Removed, e.At)));
        Assert.Equal(events.Select(e => EventIds.For(SlaPolicyEvents.Stream, Pension, e.Version)), events.Select(e => e.EventId));

        // Each stored change also tells every silo to reload its SLA data, in the same transaction; the refused and
        // the no-op calls told none.
        var shared = published.Where(e => e.Stream == SharedDataChanges.Stream).Select(SharedDataChanges.Read).ToList();
        Assert.Equal([("sla", 1), ("sla", 2), ("sla", 3)], shared.Select(c => (c.Area, c.Version)));
        Assert.Equal(published.Count, events.Count + shared.Count);
    }

    [Fact]
    public async Task Administration_refuses_bad_input_whoever_calls_it_and_publishes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        await new DatabaseMigrator(dataSource, [new EventsSchema(), new SlaSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var admin = new SlaAdministration(dataSource, new SlaStore(dataSource), Categories, Tree);

        var unknown = await Assert.ThrowsAsync<HelplineException>(() => admin.ResetPolicyAsync("no-such-category", 1, Ct));
        Assert.Equal(("UNKNOWN_CATEGORY", "categoryId"), (unknown.Code, unknown.Field));
        var level = await Assert.ThrowsAsync<HelplineException>(() => admin.ResetPolicyAsync(Pension, 5, Ct));
        Assert.Equal(("INVALID_VALUE", "level"), (level.Code, level.Field));
        var blankId = await Assert.ThrowsAsync<HelplineException>(() => admin.SaveCalendarAsync(SixDayWeek with { Id = " " }, Ct));
        Assert.Equal(("REQUIRED", "calendar.id"), (blankId.Code, blankId.Field));
        var nowhere = await Assert.ThrowsAsync<HelplineException>(() => admin.RemoveHolidayAsync("district:999", new DateOnly(2026, 12, 25), Ct));
        Assert.Equal(("UNKNOWN_JURISDICTION", "jurisdictionId"), (nowhere.Code, nowhere.Field));
        Assert.Empty(await PublishedAsync(dataSource));
    }

    private static async Task<IReadOnlyList<IntegrationEvent>> PublishedAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync(Ct);
        return await EventStore.ReadAfterAsync(conn, new Checkpoint("0", 0), 100, Ct);
    }
}
