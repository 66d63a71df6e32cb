using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// Recording outcomes: not reachable is tried again after the spacing and closes the grievance after the last attempt;
/// every bad report gets its own error and changes nothing.
/// </summary>
public sealed class CallBackOutcomeTests : CallBackTest
{
    [Fact]
    public async Task A_complainant_not_reached_is_tried_again_after_the_spacing_and_after_the_third_attempt_the_grievance_is_closed()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(callBack.ToString(), (await NextAsync("cb-1", campaign))["callBack"]!["id"]!.GetValue<string>());
            var recorded = (await RecordAsync("cb-1", callBack, "NOT_REACHABLE", note: "Switched off")).Get("recordCallBackOutcome");
            Assert.Equal(attempt, recorded["callBack"]!["attempts"]!.GetValue<int>());
            if (attempt < 3)
            {
                Assert.Equal("PENDING", recorded["callBack"]!["state"]!.GetValue<string>());
                Assert.Null(recorded["grievanceStatus"]);
                Assert.Equal(Host.Clock.GetUtcNow().AddHours(4), recorded["callBack"]!["callableFrom"]!.GetValue<DateTimeOffset>());
                Assert.Equal("NONE_DUE", (await NextAsync("cb-2", campaign))["reason"]!.GetValue<string>()); // not before the spacing
                Assert.Equal("RESOLVED", (await GrievanceAsync(reference))["status"]!.GetValue<string>());
                Host.Clock.Advance(TimeSpan.FromHours(4));
            }
            else
            {
                Assert.Equal(("NOT_REACHABLE", "CLOSED"), (recorded["callBack"]!["state"]!.GetValue<string>(), recorded["grievanceStatus"]!.GetValue<string>()));
                Assert.Equal(3, recorded["callBack"]!["attemptLog"]!.AsArray().Count(a => a!["outcome"]!.GetValue<string>() == "NOT_REACHABLE" && a["note"]!.GetValue<string>() == "Switched off"));
            }
        }

        var last = (await GrievanceAsync(reference))["timeline"]!.AsArray()[^1]!;
        Assert.Equal("CLOSED", last["type"]!.GetValue<string>());
        Assert.Contains("not reached in 3 call-back attempts", last["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_reports_get_a_clear_error_each_and_change_nothing()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await NextAsync("cb-1", campaign);

        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "DISSATISFIED"), "REQUIRED", "reason");
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED", rating: 6), "INVALID_VALUE", "rating");
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED", note: new string('x', 1001)), "TOO_LONG", "note");
        await AssertRefusedAsync(await RecordAsync("cb-1", Guid.NewGuid(), "SATISFIED"), "UNKNOWN_CALL_BACK", "callBackId");
        await AssertRefusedAsync(await RecordAsync("cb-2", callBack, "SATISFIED"), "CALL_BACK_NOT_HELD", "callBackId"); // held by cb-1
        Assert.Equal(("pending", 0), await StateAsync(callBack));
        Assert.Equal("RESOLVED", (await GrievanceAsync(reference))["status"]!.GetValue<string>());

        Assert.Equal("CLOSED", (await RecordAsync("cb-1", callBack, "SATISFIED")).Get("recordCallBackOutcome.grievanceStatus").GetValue<string>());
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "DISSATISFIED", "changed my mind"), "OUTCOME_ALREADY_RECORDED", "callBackId");
        Assert.Equal(("satisfied", 1), await StateAsync(callBack));
        Assert.Equal("CLOSED", (await GrievanceAsync(reference))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_outcome_after_the_lease_ended_is_refused_and_the_call_went_back_to_the_queue()
    {
        var (_, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await NextAsync("cb-1", campaign);
        Host.Clock.Advance(TimeSpan.FromMinutes(15));

        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED"), "LEASE_EXPIRED", "callBackId");
        Assert.Equal(("pending", 0), await StateAsync(callBack));
        Assert.Equal(callBack.ToString(), (await NextAsync("cb-2", campaign))["callBack"]!["id"]!.GetValue<string>()); // back in the queue
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED"), "CALL_BACK_NOT_HELD", "callBackId"); // now cb-2's
    }

    [Fact]
    public async Task A_grievance_reopened_before_the_call_cancels_its_call_back_and_its_new_disposal_gets_a_new_one()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await NextAsync("cb-1", campaign);
        (await Host.GraphQLAsync("mutation($r: String!) { reopenGrievance(referenceNumber: $r, reason: \"Caller rang back: still broken\") { status } }", new { r = reference }))
            .Get("reopenGrievance");

        // Refused at once, even before the reopening's event reaches the call-backs (the grievance is asked).
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED"), "GRIEVANCE_REOPENED", "callBackId");
        await Wait.UntilAsync(() => StateAsync(callBack), s => s.State == "cancelled", "the call-back cancelled by the reopening");
        await AssertRefusedAsync(await RecordAsync("cb-1", callBack, "SATISFIED"), "GRIEVANCE_REOPENED", "callBackId");
        Assert.Equal("OPEN", (await GrievanceAsync(reference))["status"]!.GetValue<string>());

        var holder = (await GrievanceAsync(reference))["officer"]!["id"]!.GetValue<string>();
        await ResolveAsync(reference, holder, "Pump replaced");
        var again = await CallBackOfAsync(reference, count: 2);
        Assert.NotEqual(callBack, again);
        Assert.Equal(("pending", 0), await StateAsync(again));
    }

    private async Task<(string State, int Attempts)> StateAsync(Guid callBack)
    {
        var row = (await CallBacksOfAsync(await Sql.ScalarAsync<string>($"select reference_number from callbacks.call_back where id = '{callBack}'"))).Single(c => c.Id == callBack);
        return (row.State, row.Attempts);
    }

    private static Task AssertRefusedAsync(GraphQLResponse response, string code, string field)
    {
        Assert.Equal((code, field), (response.FirstErrorCode, response.FirstErrorField));
        return Task.CompletedTask;
    }
}
