using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Sla;

/// <summary>
/// Issue 8: dates and instants at the edges of what .NET can represent (DateOnly.MaxValue, an instant near the year
/// 9999, or one whose offset takes it past the last or before the first representable instant) are answered
/// correctly or refused as input at their field, never with INTERNAL_SERVER_ERROR.
/// </summary>
public sealed class DateLimitTests : HostedTest
{
    [Theory]
    [InlineData("9999-12-31", "9999-12-31")]
    [InlineData("9999-12-20", "9999-12-31")]
    [InlineData("0001-01-01", "0001-01-05")]
    public async Task Holidays_of_a_range_at_the_ends_of_the_calendar_are_answered(string from, string to)
    {
        var r = await Host.GraphQLAsync("query($f: DateOnly!, $t: DateOnly!) { holidays(jurisdictionId: \"district:162\", from: $f, to: $t) { date } }", new { f = from, t = to });
        Assert.Null(r.Errors);
        Assert.Empty(r.Get("holidays").AsArray());
    }

    [Fact]
    public async Task A_preview_starting_near_the_year_9999_is_refused_as_input()
    {
        const string Preview = "query($c: String!, $s: DateTimeOffset!) { dueDatePreview(categoryId: $c, level: 1, jurisdictionId: \"district:162\", start: $s) { dueAt } }";
        var category = (await Host.GraphQLAsync("{ categories(departmentId: \"revenue\") { id } }")).Get("categories").AsArray()[0]!["id"]!.GetValue<string>();

        // Representable but outside the calendars' years: refused at 'start'.
        var r = await Host.GraphQLAsync(Preview, new { c = category, s = "9999-12-31T23:59:59Z" });
        Assert.Equal(("INVALID_VALUE", "start"), (r.FirstErrorCode, r.FirstErrorField));

        // Not representable once its offset is applied (past 9999 or before year 1 in UTC): the variable is refused.
        foreach (var start in new[] { "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:30" })
        {
            r = await Host.GraphQLAsync(Preview, new { c = category, s = start });
            Assert.Equal("GRAPHQL_VALIDATION_FAILED", r.FirstErrorCode);
            Assert.Contains("$s", r.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The last start the calendars cover is answered.
        r = await Host.GraphQLAsync(Preview, new { c = category, s = "2099-12-31T23:00:00-05:00" });
        Assert.Null(r.Errors);
    }

    [Fact]
    public async Task A_holiday_on_the_last_day_is_refused_and_removing_one_is_answered()
    {
        var add = await Host.GraphQLAsync("mutation { addHolidays(holidays: [{ date: \"9999-12-31\", name: \"End\", jurisdictionId: \"district:162\" }]) { added } }");
        Assert.Equal("INVALID_VALUE", add.FirstErrorCode);
        var remove = await Host.GraphQLAsync("mutation { removeHoliday(jurisdictionId: \"district:162\", date: \"9999-12-31\") }");
        Assert.Null(remove.Errors);
        Assert.False(remove.Get("removeHoliday").GetValue<bool>());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59")]
    public async Task An_imported_due_date_near_the_year_9999_is_refused_at_its_field(string due)
    {
        var r = await Host.GraphQLAsync(
            "mutation($r: [ImportGrievanceInput!]!) { importGrievances(records: $r) { outcome errorCode errorField } }",
            new { r = new[] { Record("far-1", "2026-11-01T10:00:00Z", due) } },
            DefaultCallers.ImporterToken);
        var result = r.Get("importGrievances.0");
        Assert.Equal(("REJECTED", "INVALID_VALUE", "records[0].dueAt"), (result["outcome"]!.GetValue<string>(), result["errorCode"]!.GetValue<string>(), result["errorField"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+05:30", "records[0].registeredAt")]
    [InlineData("9999-12-31T23:59:59-05:00", "records[0].registeredAt")]
    public async Task An_imported_time_whose_offset_leaves_the_representable_range_is_refused_at_its_field(string registered, string field)
    {
        var r = await Host.GraphQLAsync(
            "mutation($r: [ImportGrievanceInput!]!) { importGrievances(records: $r) { outcome errorCode errorField } }",
            new { r = new[] { Record("edge-1", registered, null) } },
            DefaultCallers.ImporterToken);
        var result = r.Get("importGrievances.0");
        Assert.Equal(("REJECTED", "INVALID_VALUE", field), (result["outcome"]!.GetValue<string>(), result["errorCode"]!.GetValue<string>(), result["errorField"]!.GetValue<string>()));
    }

    private static object Record(string id, string opened, string? due) => new
    {
        source = "citya",
        sourceName = "City A",
        timeZone = "Asia/Kolkata",
        sourceId = id,
        department = "Roads",
        category = "Pothole",
        area = "Ward 1",
        description = "Pothole",
        registeredAt = opened,
        dueAt = due,
        closedAt = (string?)null,
        closure = (string?)null,
    };
}
