using System.Text;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Helpline.Platform.Errors;
using Helpline.Sla;
using Helpline.Sla.Engine;
using Helpline.Sla.Files;
using Helpline.Sla.Storage;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>The schema, loader and administration against a real, fresh PostgreSQL database migrated with the sla schema alone.</summary>
public sealed class SlaDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loading_into_a_fresh_database_seeds_the_default_calendar_its_state_assignment_and_the_shipped_holidays()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);

        var result = await sla.Loader.LoadAsync(HolidayFiles.ReadShipped(), Ct);

        Assert.Equal(new SlaLoadResult(1, 1, 4), result);
        Assert.Equal(1L, await dataSource.ScalarAsync<long>("select count(*) from sla.calendars"));
        Assert.Equal(
            "Mon-Fri 10:00:00-17:00:00",
            await dataSource.ScalarAsync<string>("select 'Mon-Fri ' || opening || '-' || closing from sla.calendars where id = 'default' and working_days = '{1,2,3,4,5}'"));
        Assert.Equal("default", await dataSource.ScalarAsync<string>("select calendar_id from sla.calendar_assignments where jurisdiction_id = 'state:9'"));
        Assert.Equal(4L, await dataSource.ScalarAsync<long>("select count(*) from sla.holidays where jurisdiction_id = 'state:9' and source = 'shipped'"));

        // The in-memory snapshot follows: Republic Day (Mon 26 Jan) is skipped for a block of Lucknow.
        Assert.Equal(WorkingCalendar.Default.Describe(), sla.Engine.CalendarFor(LucknowBlock).Describe());
        Assert.Equal(TimeSpan.FromHours(1), sla.Engine.WorkingTimeBetween(LucknowBlock, SlaUnit.WorkingHours, Ist(2026, 1, 23, 16), Ist(2026, 1, 27, 10)));
        Assert.Equal(4, sla.Engine.HolidaysFor(LucknowBlock, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)).Count);
    }

    [Fact]
    public async Task Loading_twice_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);
        var before = await RowVersionsAsync(dataSource);

        var second = await sla.Loader.LoadAsync(HolidayFiles.ReadShipped(), Ct);

        Assert.True(second.Unchanged, second.ToString());
        Assert.Equal(before, await RowVersionsAsync(dataSource)); // same rows, same xmin (never rewritten), same updated_at
    }

    [Fact]
    public async Task Loading_keeps_what_an_administrator_changed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);
        var longer = WorkingCalendar.Default with { Closing = new TimeOnly(18, 0) };
        await sla.Administration.SaveCalendarAsync(longer, Ct);
        await sla.Administration.SaveCalendarAsync(SixDayWeek, Ct);
        await sla.Administration.AssignCalendarAsync(State, SixDayWeek.Id, Ct);
        await sla.Administration.AddHolidaysAsync([RepublicDay with { Name = "Gantantra Diwas" }], Ct);

        var again = await sla.Loader.LoadAsync(HolidayFiles.ReadShipped(), Ct);

        Assert.True(again.Unchanged, again.ToString());
        Assert.Equal(new TimeOnly(18, 0), sla.Store.Current.Calendars[WorkingCalendar.DefaultId].Closing);
        Assert.Equal(SixDayWeek.Id, sla.Engine.CalendarFor(LucknowBlock).Id);
        Assert.Equal("Gantantra Diwas", sla.Engine.HolidaysFor(LucknowBlock, RepublicDay.Date, RepublicDay.Date).Single().Name);
    }

    [Fact]
    public async Task A_policy_override_is_stored_used_at_once_read_back_by_a_fresh_store_and_can_be_reset()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);

        await sla.Administration.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.WorkingHours, 10), 0.8m, Ct);

        var expected = new SlaEffectivePolicy(Pension, 1, new SlaAllowance(SlaUnit.WorkingHours, 10), 0.8m, SlaPolicySource.CategoryOverride);
        Assert.Equal(expected, sla.Engine.GetPolicy(Pension, 1));

        // Mon 2 Feb 15:00 + 10 working hours: 2 h Mon, 7 h Tue, Wed 10:00 + 1 h = Wed 4 Feb 11:00; 80 % = 8 h → Tue 3 Feb 16:00.
        var computed = sla.Engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 2, 15));
        Assert.Equal((Ist(2026, 2, 4, 11), Ist(2026, 2, 3, 16)), (computed.DueAt, computed.AtRiskAt));

        var fresh = new SlaStore(dataSource);
        await fresh.RefreshAsync(Ct);
        Assert.Equal(expected, new SlaEngine(fresh, Categories, Tree).GetPolicy(Pension, 1));

        var before = await RowVersionsAsync(dataSource);
        await sla.Administration.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.WorkingHours, 10), 0.8m, Ct);
        Assert.Equal(before, await RowVersionsAsync(dataSource)); // the same values again write nothing

        await sla.Administration.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 3), cancellationToken: Ct);
        Assert.Equal(new SlaEffectivePolicy(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 3), 0.75m, SlaPolicySource.CategoryOverride), sla.Engine.GetPolicy(Pension, 1));
        var updatedAt = await dataSource.ScalarAsync<DateTime>("select updated_at from sla.policy_overrides where category_id = 'rd-pension-delay'");
        var createdAt = await dataSource.ScalarAsync<DateTime>("select created_at from sla.policy_overrides where category_id = 'rd-pension-delay'");
        Assert.True(updatedAt > createdAt, "updated_at follows edits");

        Assert.True(await sla.Administration.ResetPolicyAsync(Pension, 1, Ct));
        Assert.False(await sla.Administration.ResetPolicyAsync(Pension, 1, Ct));
        Assert.Equal(SlaPolicySource.CatalogueDefault, sla.Engine.GetPolicy(Pension, 1).Source);
    }

    [Fact]
    public async Task Bad_policies_are_refused_with_a_code_and_field_and_nothing_is_stored()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        var admin = sla.Administration;
        var twoDays = new SlaAllowance(SlaUnit.WorkingDays, 2);

        await AssertRefusedAsync(CatalogueErrorCodes.UnknownCategory, "categoryId", () => admin.SetPolicyAsync("no-such-category", 1, twoDays, cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "level", () => admin.SetPolicyAsync(Pension, 5, twoDays, cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "level", () => admin.SetPolicyAsync(Pension, 0, twoDays, cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "allowance", () => admin.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 0), cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "allowance", () => admin.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.CalendarDays, 366), cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "allowance", () => admin.SetPolicyAsync(Pension, 1, new SlaAllowance((SlaUnit)9, 1), cancellationToken: Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "warningShare", () => admin.SetPolicyAsync(Pension, 1, twoDays, 0m, Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "warningShare", () => admin.SetPolicyAsync(Pension, 1, twoDays, 1.5m, Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "warningShare", () => admin.SetPolicyAsync(Pension, 1, twoDays, 0.12345m, Ct));

        Assert.Equal(0L, await dataSource.ScalarAsync<long>("select count(*) from sla.policy_overrides"));
    }

    [Fact]
    public async Task Importing_a_good_csv_stores_every_row_and_a_second_import_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);
        const string csv = "date,name,jurisdiction_id\n2026-02-09,Lucknow local holiday,district:162\n2026-03-04,Holi\n2026-01-26,Republic Day\n";

        var first = await sla.Administration.ImportHolidaysAsync(Utf8(csv), HolidayFileFormat.Csv, State, Ct);
        var second = await sla.Administration.ImportHolidaysAsync(Utf8(csv), HolidayFileFormat.Csv, State, Ct);

        Assert.Equal(new HolidayChanges(2, 0, 1), first); // Republic Day was shipped already
        Assert.Equal(new HolidayChanges(0, 0, 3), second);
        Assert.Equal("import", await dataSource.ScalarAsync<string>("select source from sla.holidays where jurisdiction_id = 'district:162'"));

        // The district's holiday is now skipped for its block (Fri 6 Feb 16:00 → Tue 10 Feb 11:00 = 1 h + 1 h), not for Unnao's.
        Assert.Equal(TimeSpan.FromHours(2), sla.Engine.WorkingTimeBetween(LucknowBlock, SlaUnit.WorkingDays, Ist(2026, 2, 6, 16), Ist(2026, 2, 10, 11)));
        Assert.Equal(TimeSpan.FromHours(9), sla.Engine.WorkingTimeBetween(UnnaoBlock, SlaUnit.WorkingDays, Ist(2026, 2, 6, 16), Ist(2026, 2, 10, 11)));
    }

    [Fact]
    public async Task Importing_a_good_icalendar_file_stores_its_days()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Helpline tests//EN\r\n" +
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20260209\r\nDTEND;VALUE=DATE:20260211\r\nSUMMARY:Mela\r\nEND:VEVENT\r\n" +
            "END:VCALENDAR\r\n";

        var changes = await sla.Administration.ImportHolidaysAsync(Utf8(ics), HolidayFileFormat.ICalendar, Lucknow, Ct);

        Assert.Equal(new HolidayChanges(2, 0, 0), changes);
        Assert.Equal(
            [new Holiday(new DateOnly(2026, 2, 9), "Mela", Lucknow), new Holiday(new DateOnly(2026, 2, 10), "Mela", Lucknow)],
            sla.Engine.HolidaysFor(LucknowBlock, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)));
    }

    [Fact]
    public async Task A_file_with_bad_rows_is_refused_whole_every_bad_row_reported_and_nothing_stored()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);
        const string csv = "2026-02-09,Good row,district:162\n2026-02-31,Bad date,district:162\n2026-02-10,Good too,district:162\n2026-02-11,,district:162\n";

        var refused = await Assert.ThrowsAsync<HolidayImportException>(() => sla.Administration.ImportHolidaysAsync(Utf8(csv), HolidayFileFormat.Csv, null, Ct));

        Assert.Equal(
            [new HolidayImportError(2, "'2026-02-31' is not a date (yyyy-MM-dd)"), new HolidayImportError(4, "the holiday has no name")],
            refused.Errors);
        Assert.Contains("row 2: '2026-02-31' is not a date", refused.Message, StringComparison.Ordinal);
        Assert.Equal(4L, await dataSource.ScalarAsync<long>("select count(*) from sla.holidays")); // only the shipped ones
        Assert.Empty(sla.Engine.HolidaysFor(LucknowBlock, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)));

        var unknownScope = await Assert.ThrowsAsync<HelplineException>(() => sla.Administration.ImportHolidaysAsync(Utf8(csv), HolidayFileFormat.Csv, "district:999", Ct));
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, unknownScope.Code);

        var badAdd = await Assert.ThrowsAsync<HolidayImportException>(() => sla.Administration.AddHolidaysAsync(
            [LucknowLocalHoliday, new Holiday(new DateOnly(2026, 2, 10), "Somewhere", "district:999")], Ct));
        Assert.Equal([new HolidayImportError(2, "unknown jurisdiction 'district:999'")], badAdd.Errors);
        Assert.Equal(4L, await dataSource.ScalarAsync<long>("select count(*) from sla.holidays"));
    }

    [Fact]
    public async Task Holidays_can_be_added_renamed_and_removed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);

        Assert.Equal(new HolidayChanges(2, 0, 0), await sla.Administration.AddHolidaysAsync([RepublicDay, LucknowLocalHoliday], Ct));
        Assert.Equal(new HolidayChanges(0, 1, 1), await sla.Administration.AddHolidaysAsync([RepublicDay, LucknowLocalHoliday with { Name = "Renamed" }], Ct));
        Assert.Equal("Renamed", sla.Engine.HolidaysFor(LucknowBlock, LucknowLocalHoliday.Date, LucknowLocalHoliday.Date).Single().Name);

        Assert.True(await sla.Administration.RemoveHolidayAsync(Lucknow, LucknowLocalHoliday.Date, Ct));
        Assert.False(await sla.Administration.RemoveHolidayAsync(Lucknow, LucknowLocalHoliday.Date, Ct));
        Assert.Empty(sla.Engine.HolidaysFor(LucknowBlock, LucknowLocalHoliday.Date, LucknowLocalHoliday.Date));
    }

    [Fact]
    public async Task Calendars_are_saved_and_assigned_and_bad_ones_refused()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);

        await sla.Administration.SaveCalendarAsync(SixDayWeek, Ct);
        await sla.Administration.AssignCalendarAsync(Unnao, SixDayWeek.Id, Ct);

        var stored = sla.Store.Current.Calendars[SixDayWeek.Id];
        Assert.Equal((SixDayWeek.Name, SixDayWeek.Opening, SixDayWeek.Closing), (stored.Name, stored.Opening, stored.Closing));
        Assert.Equal(SixDayWeek.WorkingDays, stored.WorkingDays);
        Assert.Equal(SixDayWeek.Id, sla.Engine.CalendarFor(UnnaoBlock).Id);
        Assert.Equal(WorkingCalendar.DefaultId, sla.Engine.CalendarFor(LucknowBlock).Id);

        await AssertRefusedAsync(JurisdictionErrorCodes.UnknownJurisdiction, "jurisdictionId", () => sla.Administration.AssignCalendarAsync("district:999", SixDayWeek.Id, Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "calendarId", () => sla.Administration.AssignCalendarAsync(Lucknow, "no-such-calendar", Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "calendar.closing", () => sla.Administration.SaveCalendarAsync(SixDayWeek with { Closing = new TimeOnly(9, 0) }, Ct));
        await AssertRefusedAsync(ErrorCodes.Required, "calendar.workingDays", () => sla.Administration.SaveCalendarAsync(SixDayWeek with { WorkingDays = [] }, Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "calendar.workingDays", () => sla.Administration.SaveCalendarAsync(SixDayWeek with { WorkingDays = [DayOfWeek.Monday, DayOfWeek.Monday] }, Ct));
        await AssertRefusedAsync(ErrorCodes.TooLong, "calendar.name", () => sla.Administration.SaveCalendarAsync(SixDayWeek with { Name = new string('x', 201) }, Ct));
        await AssertRefusedAsync(ErrorCodes.Invalid, "calendar.id", () => sla.Administration.SaveCalendarAsync(SixDayWeek with { Id = "Six Days" }, Ct));
        Assert.Equal(WorkingCalendar.DefaultId, sla.Engine.CalendarFor(LucknowBlock).Id);

        // The database refuses what the application would never write.
        await Assert.ThrowsAsync<PostgresException>(() => dataSource.ExecuteAsync("insert into sla.calendars (id, name, working_days, opening, closing) values ('night', 'Night', '{1}', '17:00', '10:00')"));
        await Assert.ThrowsAsync<PostgresException>(() => dataSource.ExecuteAsync("insert into sla.calendars (id, name, working_days, opening, closing) values ('eight', 'Eight', '{1,8}', '10:00', '17:00')"));
        await Assert.ThrowsAsync<PostgresException>(() => dataSource.ExecuteAsync("insert into sla.policy_overrides (category_id, level, unit, amount) values ('rd-pension-delay', 1, 'WorkingDays', 400)"));
    }

    [Fact]
    public async Task The_module_registers_schema_loader_engine_and_administration_once()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        services.AddSingleton<ICatalogue>(Categories);
        services.AddSingleton<IJurisdictionDirectory>(Tree);
        services.AddSlaModule().AddSlaModule();
        await using var provider = services.BuildServiceProvider();

        // Its changes are shared data: the event log's schema and the shared-data follower (loader 0) come with it.
        Assert.Equal([("events", 1), ("sla", 25)], provider.GetServices<IModuleSchema>().Select(s => (s.Schema, s.Order)).OrderBy(s => s.Order));
        Assert.Equal([0, 25], provider.GetServices<IReferenceDataLoader>().Select(l => l.Order).Order());
        Assert.Equal(["sla"], provider.GetServices<ISharedDataArea>().Select(a => a.Area));
        Assert.Same(provider.GetRequiredService<ISlaEngine>(), provider.GetRequiredService<ISlaEngine>());
        Assert.Same(provider.GetRequiredService<ISlaAdministration>(), provider.GetRequiredService<ISlaAdministration>());
        Assert.Equal(WorkingCalendar.Default, provider.GetRequiredService<ISlaEngine>().CalendarFor(LucknowBlock));
    }

    [Fact]
    public async Task A_round_the_clock_calendar_closing_at_24_00_and_a_calendar_hour_policy_are_stored_and_read_back()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var dataSource = db.CreateDataSource();
        var sla = await MigrateAsync(dataSource);
        await sla.Loader.LoadAsync(Ct);
        var allDay = new WorkingCalendar(
            "round-the-clock", "Control room, every day 00:00 to 24:00", [.. Enum.GetValues<DayOfWeek>()], new TimeOnly(0, 0), WorkingCalendar.Midnight);
        await sla.Administration.SaveCalendarAsync(allDay, Ct);
        await sla.Administration.AssignCalendarAsync(LucknowBlock, allDay.Id, Ct);
        await sla.Administration.SetPolicyAsync(Pension, 1, new SlaAllowance(SlaUnit.CalendarHours, 6), cancellationToken: Ct);

        await using (var command = dataSource.CreateCommand("select closing::text from sla.calendars where id = 'round-the-clock'"))
        {
            Assert.Equal("24:00:00", await command.ExecuteScalarAsync(Ct)); // PostgreSQL's own 24:00, so opening < closing holds
        }

        var fresh = new SlaStore(dataSource); // read back from the tables, not from the snapshot that was written
        await fresh.RefreshAsync(Ct);
        var stored = fresh.Current.Calendars["round-the-clock"];
        Assert.Equal((true, TimeSpan.FromHours(24), "Mon–Sun 00:00–24:00 IST"), (stored.ClosesAtMidnight, stored.WorkingDayLength, stored.Describe()));

        // Sat 7 Feb 2026 22:00 IST + 6 calendar hours = Sun 8 Feb 04:00 IST.
        Assert.Equal(Ist(2026, 2, 8, 4), sla.Engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 7, 22)).DueAt);
        // 2 working hours on the round-the-clock calendar from Sat 23:00 = Sun 01:00 (no night, no weekend in between).
        Assert.Equal(Ist(2026, 2, 8, 1), sla.Engine.Add(LucknowBlock, SlaUnit.WorkingHours, Ist(2026, 2, 7, 23), TimeSpan.FromHours(2)));
    }

    private sealed record SlaParts(SlaStore Store, SlaLoader Loader, SlaEngine Engine, SlaAdministration Administration);

    private static async Task<SlaParts> MigrateAsync(NpgsqlDataSource dataSource)
    {
        await new DatabaseMigrator(dataSource, [new Helpline.Platform.Events.EventsSchema(), new SlaSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        var store = new SlaStore(dataSource);
        return new SlaParts(
            store,
            new SlaLoader(dataSource, store, NullLogger<SlaLoader>.Instance),
            new SlaEngine(store, Categories, Tree),
            new SlaAdministration(dataSource, store, Categories, Tree));
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static async Task AssertRefusedAsync(string code, string field, Func<Task> action)
    {
        var refused = await Assert.ThrowsAsync<HelplineException>(action);
        Assert.Equal((code, field), (refused.Code, refused.Field));
    }

    private static async Task<List<string>> RowVersionsAsync(NpgsqlDataSource dataSource)
    {
        const string sql = """
            select 'calendar ' || id || ' ' || xmin::text || ' ' || updated_at::text from sla.calendars
            union all
            select 'assignment ' || jurisdiction_id || ' ' || xmin::text || ' ' || updated_at::text from sla.calendar_assignments
            union all
            select 'holiday ' || jurisdiction_id || '/' || date || ' ' || xmin::text || ' ' || updated_at::text from sla.holidays
            union all
            select 'override ' || category_id || '/' || level || ' ' || xmin::text || ' ' || updated_at::text from sla.policy_overrides
            order by 1
            """;
        var rows = new List<string>();
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
