using Helpline.Platform.Database;
using Helpline.Platform.Errors;
using Helpline.Sla;
using Helpline.Sla.Storage;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>
/// The administration service, not its GraphQL fields, tells the registered listeners about a committed policy change,
/// so a change from any caller is followed up, and a refused or repeated one is not.
/// </summary>
public sealed class SlaPolicyChangeListenerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Listeners_hear_of_each_committed_policy_change_once_and_of_nothing_else()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        await new DatabaseMigrator(dataSource, [new SlaSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var first = new RecordingListener(dataSource);
        var second = new RecordingListener(dataSource);
        var admin = new SlaAdministration(dataSource, new SlaStore(dataSource), Categories, Tree, [first, second]);
        var twoDays = new SlaAllowance(SlaUnit.WorkingDays, 2);

        await admin.SetPolicyAsync(Pension, 2, twoDays, cancellationToken: Ct);
        await admin.SetPolicyAsync(Pension, 2, twoDays, cancellationToken: Ct); // same override again: nothing written
        await Assert.ThrowsAsync<HelplineException>(() => admin.SetPolicyAsync(Pension, 2, new SlaAllowance(SlaUnit.WorkingDays, 0), cancellationToken: Ct));
        await admin.SetPolicyAsync(Pension, 2, twoDays, 0.5m, Ct);
        Assert.True(await admin.ResetPolicyAsync(Pension, 2, Ct));
        Assert.False(await admin.ResetPolicyAsync(Pension, 2, Ct)); // nothing to remove

        Assert.Equal([(Pension, 1L), (Pension, 1L), (Pension, 0L)], first.Heard);
        Assert.Equal(first.Heard, second.Heard);
    }

    [Fact]
    public async Task Administration_refuses_bad_input_whoever_calls_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        await new DatabaseMigrator(dataSource, [new SlaSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var listener = new RecordingListener(dataSource);
        var admin = new SlaAdministration(dataSource, new SlaStore(dataSource), Categories, Tree, [listener]);

        var unknown = await Assert.ThrowsAsync<HelplineException>(() => admin.ResetPolicyAsync("no-such-category", 1, Ct));
        Assert.Equal(("UNKNOWN_CATEGORY", "categoryId"), (unknown.Code, unknown.Field));
        var level = await Assert.ThrowsAsync<HelplineException>(() => admin.ResetPolicyAsync(Pension, 5, Ct));
        Assert.Equal(("INVALID_VALUE", "level"), (level.Code, level.Field));
        var blankId = await Assert.ThrowsAsync<HelplineException>(() => admin.SaveCalendarAsync(SixDayWeek with { Id = " " }, Ct));
        Assert.Equal(("REQUIRED", "calendar.id"), (blankId.Code, blankId.Field));
        var nowhere = await Assert.ThrowsAsync<HelplineException>(() => admin.RemoveHolidayAsync("district:999", new DateOnly(2026, 12, 25), Ct));
        Assert.Equal(("UNKNOWN_JURISDICTION", "jurisdictionId"), (nowhere.Code, nowhere.Field));
        Assert.Empty(listener.Heard);
    }

    /// <summary>Records each call with the number of overrides of the category stored at that moment (so: after the commit).</summary>
    private sealed class RecordingListener(NpgsqlDataSource dataSource) : ISlaPolicyChangeListener
    {
        public List<(string CategoryId, long StoredOverrides)> Heard { get; } = [];

        public async Task PolicyChangedAsync(string categoryId, CancellationToken cancellationToken)
        {
            // A new connection sees only committed rows.
            await using var command = dataSource.CreateCommand("select count(*) from sla.policy_overrides where category_id = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
            Heard.Add((categoryId, (long)(await command.ExecuteScalarAsync(cancellationToken))!));
        }
    }
}
