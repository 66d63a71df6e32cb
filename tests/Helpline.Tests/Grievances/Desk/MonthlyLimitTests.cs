using Helpline.Grievances;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Grievances.Desk;

/// <summary>The limit of complaints per mobile a month (10 in UP) and the supervisor's extra complaint, over GraphQL against real PostgreSQL.</summary>
public sealed class MonthlyLimitTests : DeskTestBase
{
    [Fact]
    public async Task The_tenth_complaint_passes_the_eleventh_is_refused_and_the_next_IST_month_counts_afresh()
    {
        string? tenth = null;
        for (var i = 1; i <= 10; i++)
        {
            tenth = (await RegisteredAsync("limit-" + i))["referenceNumber"]!.GetValue<string>();
        }

        var month = (await MonthAsync("+91 94150 12345")).Get("callerMonth");
        Assert.Equal(("9415012345", "2026-11", 10, 10, 0, 0, true), (
            month["mobile"]!.GetValue<string>(), month["month"]!.GetValue<string>(), month["complaints"]!.GetValue<int>(), month["limit"]!.GetValue<int>(),
            month["extraAllowed"]!.GetValue<int>(), month["remaining"]!.GetValue<int>(), month["overLimit"]!.GetValue<bool>()));

        var before = await ScalarAsync("select count(*) from grievances.grievance");
        var refused = await RegisterAsync("limit-11");
        Assert.Equal("MONTHLY_LIMIT_REACHED", refused.FirstErrorCode);
        Assert.Equal("input.complainant.mobile", refused.FirstErrorField);
        var message = refused.Errors![0]!["message"]!.GetValue<string>();
        foreach (var part in new[] { "94XXXXXX45", "10 complaints", "2026-11", "limit is 10", "allowExtraComplaint" })
        {
            Assert.Contains(part, message, StringComparison.Ordinal);
        }

        Assert.Equal(before, await ScalarAsync("select count(*) from grievances.grievance"));

        // Idempotency first: the tenth sent again still answers what it registered.
        Assert.Equal(tenth, (await RegisteredAsync("limit-10"))["referenceNumber"]!.GetValue<string>());

        // Other kinds are not complaints: not counted, not refused.
        await RegisteredAsync("limit-info", kind: "INFORMATION");
        await RegisteredAsync("limit-demand", kind: "DEMAND");
        Assert.Equal(10, (await MonthAsync(Mobile)).Get("callerMonth.complaints").GetValue<int>());

        // 1 December 2026, 00:01 IST: a new month.
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 18, 31, 0, TimeSpan.Zero));
        var december = (await MonthAsync(Mobile)).Get("callerMonth");
        Assert.Equal(("2026-12", 0, 10), (december["month"]!.GetValue<string>(), december["complaints"]!.GetValue<int>(), december["remaining"]!.GetValue<int>()));
        Assert.Equal("OPEN", (await RegisteredAsync("limit-11"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_supervisor_allows_exactly_one_more_once_per_request_and_an_agent_may_not()
    {
        var first = await RegisteredAsync("allow-1");
        for (var i = 2; i <= 10; i++)
        {
            await RegisteredAsync("allow-" + i);
        }

        var supervisorId = first["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>();
        var supervisor = DefaultCallers.TokenOf(Role.Supervisor, supervisorId);

        Assert.Equal("FORBIDDEN", (await AllowAsync("grant-1", Mobile, "Flood in the village", Agent)).FirstErrorCode);
        var blank = await AllowAsync("grant-1", Mobile, "  ", supervisor);
        Assert.Equal(("REQUIRED", "input.reason"), (blank.FirstErrorCode, blank.FirstErrorField));
        Assert.Contains("'input.reason'", blank.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var tooLong = await AllowAsync("grant-1", Mobile, new string('x', 1001), supervisor);
        Assert.Equal(("TOO_LONG", "input.reason"), (tooLong.FirstErrorCode, tooLong.FirstErrorField));

        var granted = (await AllowAsync("grant-1", Mobile, "Flood in the village: separate matters", supervisor)).Get("allowExtraComplaint");
        Assert.Equal((10, 1, 1, false), (granted["complaints"]!.GetValue<int>(), granted["extraAllowed"]!.GetValue<int>(), granted["remaining"]!.GetValue<int>(), granted["overLimit"]!.GetValue<bool>()));
        Assert.Equal(supervisorId, granted["overrides"]![0]!["supervisorId"]!.GetValue<string>());

        // The same request again grants nothing more.
        Assert.Equal(1, (await AllowAsync("grant-1", Mobile, "Flood in the village: separate matters", supervisor)).Get("allowExtraComplaint.extraAllowed").GetValue<int>());
        Assert.Equal(1, await ScalarAsync("select count(*) from grievances.complaint_limit_override where mobile = $1 and supervisor_id = $2 and reason like 'Flood%' and at = $3", Mobile, supervisorId, Start));

        Assert.Equal("OPEN", (await RegisteredAsync("allow-11"))["status"]!.GetValue<string>());
        Assert.Equal("MONTHLY_LIMIT_REACHED", (await RegisterAsync("allow-12")).FirstErrorCode);
        Assert.Equal("9415012345", (await MonthAsync(Mobile, supervisor)).Get("callerMonth.mobile").GetValue<string>());

        // Only a mobile with none remaining can be given one more.
        Assert.Equal("MONTHLY_LIMIT_NOT_REACHED", (await AllowAsync("grant-2", "9415099999", "Early", supervisor)).FirstErrorCode);
    }

    [Fact]
    public async Task A_complaint_over_the_limit_fails_alone_among_registrations_sent_with_it_and_stores_nothing()
    {
        for (var i = 1; i <= 10; i++)
        {
            await RegisteredAsync("full-" + i);
        }

        var before = await ScalarAsync("select count(*) from grievances.grievance");

        // Sent together, the registrations may be gathered into shared transactions, in which the limit is counted: the
        // refused complaint must take none of the others down with it. (That a refused write fails alone in a gathered
        // transaction is StuckProjectionTests' import batch; here the refusal is the limit's.)
        // The refused one is sent 16 times at once as well, as an agent's retries would be: every copy waits on the same
        // grain, and each must be refused in turn, not passed on between activations until Orleans gives up (an unknown
        // outcome).
        var sent = Enumerable.Range(10, 24).Select(i => RegisterAsync("beside-" + i, mobile: "94150200" + i))
            .Concat(Enumerable.Range(0, 16).Select(_ => RegisterAsync("full-11")));
        var answers = await Task.WhenAll(sent);

        Assert.All(answers[..24], o => Assert.Equal("OPEN", o.Get("registerGrievance")["status"]!.GetValue<string>()));
        Assert.All(answers[24..], over =>
        {
            Assert.Equal(("MONTHLY_LIMIT_REACHED", "input.complainant.mobile"), (over.FirstErrorCode, over.FirstErrorField));
            Assert.Contains("has registered 10 complaints", over.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Equal(before + 24, await ScalarAsync("select count(*) from grievances.grievance"));

        // Nothing of the refused one was stored: no state, and nothing left for the healer.
        Assert.Equal(0, await ScalarAsync("select count(*) from orleans.grain_state where grain_id_extension = $1", GrievanceKeys.ForRequest("full-11")));
        await Wait.UntilAsync(() => ScalarAsync("select count(*) from orleans.projection_outbox"), n => n == 0, "every stored registration to be acknowledged");
    }
}
