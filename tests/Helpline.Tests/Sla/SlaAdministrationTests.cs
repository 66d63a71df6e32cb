using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Sla;

/// <summary>
/// SLA administration over HTTP (GraphQL) with the real host and PostgreSQL: policies, calendars, holidays, holiday
/// files and due-date previews. The instants are worked out by hand on the default calendar (Mon–Fri 10:00–17:00 IST)
/// or on a six-day calendar saved by the test. November 2026: Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11.
/// </summary>
public sealed class SlaAdministrationTests : HostedTest
{
    private const string PolicyFields = "categoryId level unit amount warningShare source description";
    private const string CalendarFields = "id name workingDays opening closing description";
    private const string ComputationFields = """
        dueAt atRiskAt
        explanation {
          categoryId level policyLevel policySource allowance { unit amount description } warningShare
          jurisdictionId calendar { id workingDays opening closing } calendarAssignedAt timeZone
          start clockStartsAt allowedSeconds
          skippedDays { date reason name jurisdictionId }
          pauses { from to pausedSeconds applied }
          dueAt atRiskAt summary
        }
        """;

    private static readonly TimeSpan Ist = new(5, 30, 0);

    // Saturday first on purpose: the calendar comes back Monday first.
    private static readonly string[] SixDays = ["SATURDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];

    private string _categoryId = null!;
    private JsonArray _slaDays = null!;
    private string _districtId = null!;
    private string _blockId = null!;
    private string _otherBlockId = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var category = (await Host.GraphQLAsync("{ categories { id slaDays } }")).Get("categories.0");
        _categoryId = category["id"]!.GetValue<string>();
        _slaDays = category["slaDays"]!.AsArray();
        var tree = await Host.GraphQLAsync("{ jurisdictions { children { children { id kind children { id kind } } } } }");
        var districts = tree.Get("jurisdictions.0.children.0.children").AsArray();
        _districtId = districts[0]!["id"]!.GetValue<string>();
        _blockId = FirstBlock(districts[0]!);
        _otherBlockId = FirstBlock(districts[1]!);
    }

    private static string FirstBlock(JsonNode district) =>
        district["children"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, Ist);

    private static DateTimeOffset Instant(JsonNode node)
    {
        var text = node.GetValue<string>();
        Assert.EndsWith("+05:30", text);
        return DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<GraphQLResponse> SetPolicy(int level, string unit, int amount, decimal? warningShare = null) => Host.GraphQLAsync(
        warningShare is null
            ? $"mutation($c: String!, $l: Int!, $u: SlaUnit!, $a: Int!) {{ setSlaPolicy(categoryId: $c, level: $l, unit: $u, amount: $a) {{ {PolicyFields} }} }}"
            : $"mutation($c: String!, $l: Int!, $u: SlaUnit!, $a: Int!, $s: Decimal) {{ setSlaPolicy(categoryId: $c, level: $l, unit: $u, amount: $a, warningShare: $s) {{ {PolicyFields} }} }}",
        new { c = _categoryId, l = level, u = unit, a = amount, s = warningShare });

    private Task<GraphQLResponse> Preview(string jurisdictionId, DateTimeOffset start, int level = 1) => Host.GraphQLAsync(
        $"query($c: String!, $l: Int!, $j: String!, $s: DateTimeOffset!) {{ dueDatePreview(categoryId: $c, level: $l, jurisdictionId: $j, start: $s) {{ {ComputationFields} }} }}",
        new { c = _categoryId, l = level, j = jurisdictionId, s = start.ToString("o") });

    private Task<GraphQLResponse> Holidays(string jurisdictionId, string from, string to) => Host.GraphQLAsync(
        "query($j: String!, $f: DateOnly!, $t: DateOnly!) { holidays(jurisdictionId: $j, from: $f, to: $t) { date name jurisdictionId } }",
        new { j = jurisdictionId, f = from, t = to });

    private Task<GraphQLResponse> Import(string format, string content, string? jurisdictionId = null) => Host.GraphQLAsync(
        "mutation($f: HolidayFileFormat!, $c: String!, $j: String) { importHolidays(format: $f, content: $c, jurisdictionId: $j) { added renamed unchanged } }",
        new { f = format, c = content, j = jurisdictionId });

    private async Task<long> Count(string sql)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_calendar_and_policy_that_cannot_give_the_time_within_20_years_are_refused_when_the_second_is_saved()
    {
        // Found by newcomers: one working hour a day and 8,760 working hours is 8,760 working days, beyond the 20
        // years the arithmetic looks ahead. Accepted, the pair answered 500 in previews and, at a breach, left the
        // grievance unbreached and retried for ever. Now whichever of the two is saved second is refused.
        const string OneHour = """
            mutation { saveCalendar(input: { id: "one-hour", name: "One hour a day", opening: "10:00", closing: "11:00", workingDays: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY] }) { id } }
            """;
        (await Host.GraphQLAsync(OneHour)).Get("saveCalendar");
        AssertRefused(await SetPolicy(1, "WORKING_HOURS", 8760), "INVALID_VALUE", "amount");
        Assert.Equal(0L, await Count("select count(*) from sla.policy_overrides"));
        (await SetPolicy(1, "WORKING_HOURS", 200)).Get("setSlaPolicy");

        var shorter = await Host.GraphQLAsync(OneHour.Replace("\"11:00\"", "\"10:01\"", StringComparison.Ordinal));
        Assert.Equal("INVALID_VALUE", shorter.FirstErrorCode);
        Assert.Equal(1L, await Count("select count(*) from sla.calendars where id = 'one-hour' and closing = '11:00'"));
    }

    private static void AssertRefused(GraphQLResponse response, string code, string? field)
    {
        Assert.True(response.Errors is { Count: > 0 }, "expected an error, got " + response.Body.ToJsonString());
        Assert.Equal(code, response.FirstErrorCode);
        Assert.Equal(field, response.FirstErrorField);
    }

    [Fact]
    public async Task A_working_hours_policy_is_set_read_back_used_and_reset_to_the_catalogue_default()
    {
        var set = (await SetPolicy(2, "WORKING_HOURS", 20, 0.5m)).Get("setSlaPolicy");
        Assert.Equal(_categoryId, set["categoryId"]!.GetValue<string>());
        Assert.Equal(2, set["level"]!.GetValue<int>());
        Assert.Equal("WORKING_HOURS", set["unit"]!.GetValue<string>());
        Assert.Equal(20, set["amount"]!.GetValue<int>());
        Assert.Equal(0.5m, set["warningShare"]!.GetValue<decimal>());
        Assert.Equal("CATEGORY_OVERRIDE", set["source"]!.GetValue<string>());
        Assert.Equal("L2: 20 working hours (category override), at risk after 50% of it", set["description"]!.GetValue<string>());

        var read = (await Host.GraphQLAsync($"query($c: String!) {{ slaPolicy(categoryId: $c, level: 2) {{ {PolicyFields} }} }}", new { c = _categoryId })).Get("slaPolicy");
        Assert.Equal(set.ToJsonString(), read.ToJsonString());

        var all = (await Host.GraphQLAsync($"query($c: String!) {{ slaPolicies(categoryId: $c) {{ {PolicyFields} }} }}", new { c = _categoryId })).Get("slaPolicies").AsArray();
        Assert.Equal([1, 2, 3, 4], all.Select(p => p!["level"]!.GetValue<int>()));
        Assert.Equal(["CATALOGUE_DEFAULT", "CATEGORY_OVERRIDE", "CATALOGUE_DEFAULT", "CATALOGUE_DEFAULT"], all.Select(p => p!["source"]!.GetValue<string>()));
        Assert.Equal("CALENDAR_DAYS", all[0]!["unit"]!.GetValue<string>());
        Assert.Equal(_slaDays[0]!.GetValue<int>(), all[0]!["amount"]!.GetValue<int>());
        Assert.Equal(0.75m, all[0]!["warningShare"]!.GetValue<decimal>());

        // Friday 15:00 + 20 working hours: Fri 2 h, Mon 7 h, Tue 7 h, Wed 10:00 + 4 h = Wed 14:00.
        // At risk after 10 h: Fri 2 h, Mon 7 h, Tue 10:00 + 1 h = Tue 11:00.
        var preview = (await Preview(_blockId, At(6, 15), level: 2)).Get("dueDatePreview");
        Assert.Equal(At(11, 14), Instant(preview["dueAt"]!));
        Assert.Equal(At(10, 11), Instant(preview["atRiskAt"]!));
        Assert.Equal("CATEGORY_OVERRIDE", preview["explanation"]!["policySource"]!.GetValue<string>());
        Assert.Equal(20 * 3600.0, preview["explanation"]!["allowedSeconds"]!.GetValue<double>());

        // The same values again store nothing new; the default comes back after a reset, and a second reset removes nothing.
        Assert.Equal(set.ToJsonString(), (await SetPolicy(2, "WORKING_HOURS", 20, 0.5m)).Get("setSlaPolicy").ToJsonString());
        Assert.Equal(1, await Count("select count(*) from sla.policy_overrides"));
        var reset = "mutation($c: String!) { resetSlaPolicy(categoryId: $c, level: 2) }";
        Assert.True((await Host.GraphQLAsync(reset, new { c = _categoryId })).Get("resetSlaPolicy").GetValue<bool>());
        Assert.False((await Host.GraphQLAsync(reset, new { c = _categoryId })).Get("resetSlaPolicy").GetValue<bool>());
        var back = (await Host.GraphQLAsync($"query($c: String!) {{ slaPolicy(categoryId: $c, level: 2) {{ {PolicyFields} }} }}", new { c = _categoryId })).Get("slaPolicy");
        Assert.Equal("CATALOGUE_DEFAULT", back["source"]!.GetValue<string>());
        Assert.Equal("CALENDAR_DAYS", back["unit"]!.GetValue<string>());
        Assert.Equal(_slaDays[1]!.GetValue<int>(), back["amount"]!.GetValue<int>());

        // The warning share defaults to 0.75 when not given.
        Assert.Equal(0.75m, (await SetPolicy(3, "WORKING_DAYS", 5)).Get("setSlaPolicy.warningShare").GetValue<decimal>());
    }

    [Fact]
    public async Task A_district_holiday_moves_the_due_date_of_its_blocks_and_shows_in_the_explanation()
    {
        (await SetPolicy(1, "WORKING_DAYS", 2)).Get("setSlaPolicy");
        var add = "mutation($h: [HolidayInput!]!) { addHolidays(holidays: $h) { added renamed unchanged } }";
        var fair = new[] { new { date = "2026-11-09", name = "District fair", jurisdictionId = _districtId } };
        var added = (await Host.GraphQLAsync(add, new { h = fair })).Get("addHolidays");
        Assert.Equal((1, 0, 0), (added["added"]!.GetValue<int>(), added["renamed"]!.GetValue<int>(), added["unchanged"]!.GetValue<int>()));
        Assert.Equal(1, (await Host.GraphQLAsync(add, new { h = fair })).Get("addHolidays.unchanged").GetValue<int>());

        // The block sees its district's holiday and the state's; the block of another district sees only the state's.
        var seen = (await Holidays(_blockId, "2026-11-01", "2026-12-31")).Get("holidays").AsArray();
        Assert.Equal(
            ["2026-11-09 District fair " + _districtId, "2026-12-25 Christmas Day state:9"],
            seen.Select(h => $"{h!["date"]!.GetValue<string>()} {h["name"]!.GetValue<string>()} {h["jurisdictionId"]!.GetValue<string>()}"));
        Assert.Single((await Holidays(_otherBlockId, "2026-11-01", "2026-12-31")).Get("holidays").AsArray());

        // Friday 16:30 + 2 working days (14 h): Fri 0.5 h; Sat, Sun off; Mon the district fair; Tue 7 h; Wed 10:00 + 6.5 h = Wed 16:30.
        // At risk after 10.5 h: Fri 0.5 h, Tue 7 h, Wed 10:00 + 3 h = Wed 13:00.
        var preview = (await Preview(_blockId, At(6, 16, 30))).Get("dueDatePreview");
        Assert.Equal(At(11, 16, 30), Instant(preview["dueAt"]!));
        Assert.Equal(At(11, 13), Instant(preview["atRiskAt"]!));
        var why = preview["explanation"]!;
        Assert.Equal(
            ["2026-11-07 WEEKLY_OFF Saturday -", "2026-11-08 WEEKLY_OFF Sunday -", $"2026-11-09 HOLIDAY District fair {_districtId}"],
            why["skippedDays"]!.AsArray().Select(d => $"{d!["date"]!.GetValue<string>()} {d["reason"]!.GetValue<string>()} {d["name"]!.GetValue<string>()} {d["jurisdictionId"]?.GetValue<string>() ?? "-"}"));
        Assert.Equal(_blockId, why["jurisdictionId"]!.GetValue<string>());
        Assert.Equal("default", why["calendar"]!["id"]!.GetValue<string>());
        Assert.Equal("state:9", why["calendarAssignedAt"]!.GetValue<string>());
        Assert.Equal("WORKING_DAYS", why["allowance"]!["unit"]!.GetValue<string>());
        Assert.Equal("2 working days", why["allowance"]!["description"]!.GetValue<string>());
        Assert.Equal(14 * 3600.0, why["allowedSeconds"]!.GetValue<double>());
        Assert.Equal(At(6, 16, 30), Instant(why["start"]!));
        Assert.Equal(At(6, 16, 30), Instant(why["clockStartsAt"]!));
        Assert.Empty(why["pauses"]!.AsArray());
        Assert.Equal(At(11, 16, 30), Instant(why["dueAt"]!));
        Assert.Contains("District fair", why["summary"]!.GetValue<string>());

        // Another district works on Monday: Fri 0.5 h, Mon 7 h, Tue 10:00 + 6.5 h = Tue 16:30.
        Assert.Equal(At(10, 16, 30), Instant((await Preview(_otherBlockId, At(6, 16, 30))).Get("dueDatePreview.dueAt")));

        // Removing the holiday brings the Tuesday back for the first block too.
        var remove = "mutation($j: String!, $d: DateOnly!) { removeHoliday(jurisdictionId: $j, date: $d) }";
        Assert.True((await Host.GraphQLAsync(remove, new { j = _districtId, d = "2026-11-09" })).Get("removeHoliday").GetValue<bool>());
        Assert.False((await Host.GraphQLAsync(remove, new { j = _districtId, d = "2026-11-09" })).Get("removeHoliday").GetValue<bool>());
        Assert.Equal(At(10, 16, 30), Instant((await Preview(_blockId, At(6, 16, 30))).Get("dueDatePreview.dueAt")));
    }

    [Fact]
    public async Task A_holiday_file_with_bad_rows_is_refused_whole_with_every_bad_row_listed_and_nothing_stored()
    {
        var csv = "date,name,jurisdiction_id\n" +
            $"2026-11-20,Good day,{_districtId}\n" +
            $"2026-02-30,Bad date,{_districtId}\n" +
            "2026-11-21,Nowhere day,district:999999\n" +
            "2026-11-23,Defaulted day\n";
        var before = await Count("select count(*) from sla.holidays");

        var refused = await Import("CSV", csv, _districtId);

        AssertRefused(refused, "INVALID_VALUE", "content");
        var message = refused.Errors![0]!["message"]!.GetValue<string>();
        Assert.Contains("row 3: '2026-02-30' is not a date", message);
        Assert.Contains("row 4:", message);
        Assert.Contains("district:999999", message);
        var rows = refused.Errors[0]!["extensions"]!["rows"]!.AsArray();
        Assert.Equal([3, 4], rows.Select(r => r!["row"]!.GetValue<int>()));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r!["reason"]!.GetValue<string>())));
        Assert.Null(refused.Data?["importHolidays"]);
        Assert.Equal(before, await Count("select count(*) from sla.holidays"));
        Assert.Single((await Holidays(_blockId, "2026-11-01", "2026-12-31")).Get("holidays").AsArray()); // only Christmas

        // Fixed, the same file goes in whole; a row without a jurisdiction takes the one given.
        var good = csv.Replace("2026-02-30", "2026-11-24", StringComparison.Ordinal).Replace("district:999999", _districtId, StringComparison.Ordinal);
        var changes = (await Import("CSV", good, _districtId)).Get("importHolidays");
        Assert.Equal(4, changes["added"]!.GetValue<int>());
        Assert.Equal(before + 4, await Count("select count(*) from sla.holidays"));
        Assert.Equal(5, (await Holidays(_blockId, "2026-11-01", "2026-12-31")).Get("holidays").AsArray().Count);

        // iCalendar: a known date renamed, a new one added; a bad event is reported at its BEGIN:VEVENT line.
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Helpline tests//EN\r\n" +
            "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20261120\r\nSUMMARY:Good day (renamed)\r\nEND:VEVENT\r\n" +
            "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20261127\r\nSUMMARY:Another day\r\nEND:VEVENT\r\n" +
            "END:VCALENDAR\r\n";
        var ical = (await Import("ICALENDAR", ics, _districtId)).Get("importHolidays");
        Assert.Equal((1, 1), (ical["added"]!.GetValue<int>(), ical["renamed"]!.GetValue<int>()));
        var timed = ics.Replace("DTSTART;VALUE=DATE:20261127", "DTSTART:20261127T100000Z", StringComparison.Ordinal);
        var badIcal = await Import("ICALENDAR", timed, _districtId);
        AssertRefused(badIcal, "INVALID_VALUE", "content");
        Assert.Equal([10], badIcal.Errors![0]!["extensions"]!["rows"]!.AsArray().Select(r => r!["row"]!.GetValue<int>()));

        // addHolidays is all or nothing too, with 1-based positions.
        var add = await Host.GraphQLAsync(
            "mutation($h: [HolidayInput!]!) { addHolidays(holidays: $h) { added } }",
            new { h = new[] { new { date = "2026-12-01", name = "Fine", jurisdictionId = _districtId }, new { date = "2026-12-02", name = " ", jurisdictionId = _districtId } } });
        AssertRefused(add, "INVALID_VALUE", "holidays");
        Assert.Equal([2], add.Errors![0]!["extensions"]!["rows"]!.AsArray().Select(r => r!["row"]!.GetValue<int>()));
        Assert.Equal(before + 5, await Count("select count(*) from sla.holidays"));

        // An unknown default scope is named as such.
        AssertRefused(await Import("CSV", "2026-12-01,Somewhere\n", "district:999999"), "UNKNOWN_JURISDICTION", "jurisdictionId");
    }

    [Fact]
    public async Task A_six_day_calendar_assigned_to_a_district_applies_to_its_blocks_only()
    {
        var saved = (await Host.GraphQLAsync(
            $"mutation($i: SaveCalendarInput!) {{ saveCalendar(input: $i) {{ {CalendarFields} }} }}",
            new { i = new { id = "six-day-week", name = "Six-day week", workingDays = SixDays, opening = "09:30", closing = "17:30" } }))
            .Get("saveCalendar");
        Assert.Equal("six-day-week", saved["id"]!.GetValue<string>());
        Assert.Equal(["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"], saved["workingDays"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(("09:30", "17:30"), (saved["opening"]!.GetValue<string>(), saved["closing"]!.GetValue<string>()));
        Assert.Equal("Mon–Sat 09:30–17:30 IST", saved["description"]!.GetValue<string>());

        var assigned = (await Host.GraphQLAsync(
            "mutation($j: String!) { assignCalendar(jurisdictionId: $j, calendarId: \"six-day-week\") { id } }", new { j = _districtId })).Get("assignCalendar");
        Assert.Equal("six-day-week", assigned["id"]!.GetValue<string>());
        var calendarFor = $"query($j: String!) {{ calendarFor(jurisdictionId: $j) {{ {CalendarFields} }} }}";
        Assert.Equal(saved.ToJsonString(), (await Host.GraphQLAsync(calendarFor, new { j = _blockId })).Get("calendarFor").ToJsonString());
        var other = (await Host.GraphQLAsync(calendarFor, new { j = _otherBlockId })).Get("calendarFor");
        Assert.Equal("default", other["id"]!.GetValue<string>());
        Assert.Equal("Mon–Fri 10:00–17:00 IST", other["description"]!.GetValue<string>());

        // 2 working days of 8 h = 16 h from Friday 16:30: Fri 1 h, Sat 8 h, Sun off, Mon 09:30 + 7 h = Mon 16:30.
        // At risk after 12 h: Fri 1 h, Sat 8 h, Mon 09:30 + 3 h = Mon 12:30.
        (await SetPolicy(1, "WORKING_DAYS", 2)).Get("setSlaPolicy");
        var preview = (await Preview(_blockId, At(6, 16, 30))).Get("dueDatePreview");
        Assert.Equal(At(9, 16, 30), Instant(preview["dueAt"]!));
        Assert.Equal(At(9, 12, 30), Instant(preview["atRiskAt"]!));
        var why = preview["explanation"]!;
        Assert.Equal(_districtId, why["calendarAssignedAt"]!.GetValue<string>());
        Assert.Equal("six-day-week", why["calendar"]!["id"]!.GetValue<string>());
        Assert.Equal(16 * 3600.0, why["allowedSeconds"]!.GetValue<double>());
        Assert.Equal(["2026-11-08 WEEKLY_OFF"], why["skippedDays"]!.AsArray().Select(d => $"{d!["date"]!.GetValue<string>()} {d["reason"]!.GetValue<string>()}"));

        // Registered on the Sunday: the clock starts at Monday's opening.
        var sunday = (await Preview(_blockId, At(8, 11))).Get("dueDatePreview");
        Assert.Equal(At(9, 9, 30), Instant(sunday["explanation"]!["clockStartsAt"]!));
        Assert.Equal(At(10, 17, 30), Instant(sunday["dueAt"]!));

        // The block of the other district keeps the default week: Fri 0.5 h, Mon 7 h, Tue 10:00 + 6.5 h = Tue 16:30.
        Assert.Equal(At(10, 16, 30), Instant((await Preview(_otherBlockId, At(6, 16, 30))).Get("dueDatePreview.dueAt")));
    }

    [Fact]
    public async Task Bad_units_levels_amounts_times_and_ids_are_refused_with_codes_and_fields_and_store_nothing()
    {
        // The unit is an enum: an unknown one fails validation, naming the argument.
        var unit = await Host.GraphQLAsync($"mutation {{ setSlaPolicy(categoryId: \"{_categoryId}\", level: 1, unit: FORTNIGHTS, amount: 1) {{ level }} }}");
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", unit.FirstErrorCode);
        Assert.Contains("unit", unit.Errors![0]!["message"]!.GetValue<string>());

        AssertRefused(await SetPolicy(5, "WORKING_DAYS", 2), "INVALID_VALUE", "level");
        AssertRefused(await SetPolicy(0, "WORKING_DAYS", 2), "INVALID_VALUE", "level");
        AssertRefused(await SetPolicy(1, "WORKING_DAYS", 366), "INVALID_VALUE", "amount");
        AssertRefused(await SetPolicy(1, "WORKING_HOURS", 0), "INVALID_VALUE", "amount");
        AssertRefused(await SetPolicy(1, "WORKING_HOURS", 8, 1.5m), "INVALID_VALUE", "warningShare");
        AssertRefused(await SetPolicy(1, "WORKING_HOURS", 8, 0m), "INVALID_VALUE", "warningShare");
        AssertRefused(
            await Host.GraphQLAsync("mutation { setSlaPolicy(categoryId: \"no-such-category\", level: 1, unit: WORKING_DAYS, amount: 2) { level } }"),
            "UNKNOWN_CATEGORY", "categoryId");
        AssertRefused(await Host.GraphQLAsync("mutation { resetSlaPolicy(categoryId: \"no-such-category\", level: 1) }"), "UNKNOWN_CATEGORY", "categoryId");
        AssertRefused(await Host.GraphQLAsync($"mutation {{ resetSlaPolicy(categoryId: \"{_categoryId}\", level: 9) }}"), "INVALID_VALUE", "level");
        AssertRefused(await Host.GraphQLAsync($"{{ slaPolicy(categoryId: \"{_categoryId}\", level: 0) {{ level }} }}"), "INVALID_VALUE", "level");
        AssertRefused(await Preview(_blockId, At(6, 12), level: 5), "INVALID_VALUE", "level");
        AssertRefused(await Preview("block:0", At(6, 12)), "UNKNOWN_JURISDICTION", "jurisdictionId");
        Assert.Equal(0, await Count("select count(*) from sla.policy_overrides"));

        var save = $"mutation($i: SaveCalendarInput!) {{ saveCalendar(input: $i) {{ id }} }}";
        object Calendar(string id = "late-shift", string opening = "09:30", string closing = "17:30", string[]? days = null, string name = "Late shift") =>
            new { i = new { id, name, workingDays = days ?? ["MONDAY", "TUESDAY"], opening, closing } };
        // Issue 8, defects 6 and 7: a NUL was reported at input.id; invisible, C1 and bidi-override names were accepted.
        AssertRefused(await Host.GraphQLAsync(save, Calendar(name: "Late\0shift")), "INVALID_VALUE", "input.name");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(name: "\u200b\u200c\u2060")), "INVALID_VALUE", "input.name");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(name: "Late\u0085shift")), "INVALID_VALUE", "input.name");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(name: "\u202eLate shift")), "INVALID_VALUE", "input.name");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(opening: "9:30am")), "INVALID_VALUE", "input.opening");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(closing: "25:00")), "INVALID_VALUE", "input.closing");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(opening: "18:00")), "INVALID_VALUE", "input.closing");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(days: [])), "REQUIRED", "input.workingDays");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(days: ["MONDAY", "MONDAY"])), "INVALID_VALUE", "input.workingDays");
        AssertRefused(await Host.GraphQLAsync(save, Calendar(id: "Late Shift")), "INVALID_VALUE", "input.id");
        Assert.Equal(1, await Count("select count(*) from sla.calendars"));

        AssertRefused(
            await Host.GraphQLAsync("mutation($j: String!) { assignCalendar(jurisdictionId: $j, calendarId: \"no-such-calendar\") { id } }", new { j = _districtId }),
            "INVALID_VALUE", "calendarId");
        AssertRefused(
            await Host.GraphQLAsync("mutation { assignCalendar(jurisdictionId: \"district:999999\", calendarId: \"default\") { id } }"),
            "UNKNOWN_JURISDICTION", "jurisdictionId");
        Assert.Equal(1, await Count("select count(*) from sla.calendar_assignments"));

        AssertRefused(await Holidays(_blockId, "2026-12-31", "2026-01-01"), "INVALID_VALUE", "to");
        AssertRefused(await Holidays("district:999999", "2026-01-01", "2026-12-31"), "UNKNOWN_JURISDICTION", "jurisdictionId");
        var badDate = await Holidays(_blockId, "2026-02-30", "2026-12-31");
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", badDate.FirstErrorCode);
        AssertRefused(
            await Host.GraphQLAsync("mutation { removeHoliday(jurisdictionId: \"district:999999\", date: \"2026-12-25\") }"),
            "UNKNOWN_JURISDICTION", "jurisdictionId");
    }
}
