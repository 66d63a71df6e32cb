namespace Helpline.Tests.CallBacks;

/// <summary>
/// The whole loop through the GraphQL API: resolved, called back, dissatisfied, reopened one level up, resolved again,
/// called back, satisfied, closed; and the figures that count it.
/// </summary>
public sealed class CallBackLoopTests : CallBackTest
{
    [Fact]
    public async Task A_dissatisfied_complainant_sends_the_grievance_one_level_up_and_a_satisfied_one_closes_it()
    {
        var (reference, l1, first) = await DisposedAsync();
        var campaign = await CampaignOfAsync(first);
        Assert.Equal("2026-11-02/district/district:162", campaign);

        var call = await NextAsync("cb-1", campaign);
        Assert.Equal(first.ToString(), call["callBack"]!["id"]!.GetValue<string>());
        Assert.Equal(("cb-1", "9415012345", "Meena Devi"), (call["callBack"]!["heldBy"]!.GetValue<string>(),
            call["callBack"]!["grievance"]!["complainantMobile"]!.GetValue<string>(), call["callBack"]!["grievance"]!["complainantName"]!.GetValue<string>()));
        Assert.Equal("Hand pump repaired on site", call["callBack"]!["grievance"]!["disposal"]!.GetValue<string>());
        Assert.Equal(first.ToString(), (await NextAsync("cb-1", campaign))["callBack"]!["id"]!.GetValue<string>()); // asking again: the same call
        Assert.Equal("NONE_DUE", (await NextAsync("cb-2", campaign))["reason"]!.GetValue<string>()); // never one another agent holds

        var dueBefore = (await GrievanceAsync(reference))["dueAt"]!.GetValue<DateTimeOffset>();
        Host.Clock.Advance(TimeSpan.FromMinutes(5));
        var dissatisfied = (await RecordAsync("cb-1", first, "DISSATISFIED", "The pump still gives no water", rating: 2)).Get("recordCallBackOutcome");
        Assert.Equal(("OPEN", 2, "DISSATISFIED", true), (dissatisfied["grievanceStatus"]!.GetValue<string>(), dissatisfied["grievanceLevel"]!.GetValue<int>(),
            dissatisfied["callBack"]!["state"]!.GetValue<string>(), dissatisfied["callBack"]!["appliedToGrievance"]!.GetValue<bool>()));
        var attempt = dissatisfied["callBack"]!["attemptLog"]![0]!;
        Assert.Equal((1, "cb-1", "DISSATISFIED", 2, "The pump still gives no water"),
            (attempt["number"]!.GetValue<int>(), attempt["agentId"]!.GetValue<string>(), attempt["outcome"]!.GetValue<string>(), attempt["rating"]!.GetValue<int>(), attempt["reason"]!.GetValue<string>()));

        var reopened = await GrievanceAsync(reference);
        var l2 = reopened["officer"]!["id"]!.GetValue<string>();
        Assert.NotEqual(l1, l2);
        Assert.True(reopened["dueAt"]!.GetValue<DateTimeOffset>() > dueBefore, "a fresh due date from the reopening");
        var reopenedEvent = reopened["timeline"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "REOPENED")!;
        Assert.Equal("cb-1", reopenedEvent["actor"]!.GetValue<string>());
        Assert.Contains("The pump still gives no water", reopenedEvent["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("rating 2/5", reopenedEvent["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // Resolved again at L2: a new call-back for the new disposal.
        await ResolveAsync(reference, l2, "New pump installed");
        var second = await CallBackOfAsync(reference, count: 2);
        Assert.NotEqual(first, second);
        var call2 = await NextAsync("cb-1", await CampaignOfAsync(second));
        Assert.Equal(second.ToString(), call2["callBack"]!["id"]!.GetValue<string>());
        var satisfied = (await RecordAsync("cb-1", second, "SATISFIED", rating: 5, note: "Thanked the officer")).Get("recordCallBackOutcome");
        Assert.Equal(("CLOSED", 2), (satisfied["grievanceStatus"]!.GetValue<string>(), satisfied["grievanceLevel"]!.GetValue<int>()));

        var closed = await GrievanceAsync(reference);
        Assert.Equal("CLOSED", closed["status"]!.GetValue<string>());
        var last = closed["timeline"]!.AsArray()[^1]!;
        Assert.Equal(("CLOSED", "cb-1"), (last["type"]!.GetValue<string>(), last["actor"]!.GetValue<string>()));
        Assert.Contains("satisfied", last["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // Figures per officer who disposed: L1's disposal was not accepted, L2's was.
        var figures = (await Host.GraphQLAsync(
            "{ callBackFigures(by: OFFICER, from: \"2026-11-01T00:00:00+05:30\", to: \"2026-11-03T00:00:00Z\") { key due done pending satisfied dissatisfied notReachable overdue satisfactionRate averageRating } }"))
            .Get("callBackFigures").AsArray();
        var ofL1 = figures.Single(f => f!["key"]!.GetValue<string>() == l1)!;
        var ofL2 = figures.Single(f => f!["key"]!.GetValue<string>() == l2)!;
        Assert.Equal((1, 1, 0, 1, 0.0), (ofL1["due"]!.GetValue<int>(), ofL1["done"]!.GetValue<int>(), ofL1["satisfied"]!.GetValue<int>(), ofL1["dissatisfied"]!.GetValue<int>(), ofL1["satisfactionRate"]!.GetValue<double>()));
        Assert.Equal((1, 1, 0, 100.0, 5.0), (ofL2["satisfied"]!.GetValue<int>(), ofL2["done"]!.GetValue<int>(), ofL2["overdue"]!.GetValue<int>(), ofL2["satisfactionRate"]!.GetValue<double>(), ofL2["averageRating"]!.GetValue<double>()));
        var byDistrict = (await Host.GraphQLAsync(
            "{ callBackFigures(by: DISTRICT, from: \"2026-11-01T00:00:00Z\", to: \"2026-11-03T00:00:00Z\") { key due satisfied dissatisfied satisfactionRate } }"))
            .Get("callBackFigures").AsArray().Single()!;
        Assert.Equal(("district:162", 2, 50.0), (byDistrict["key"]!.GetValue<string>(), byDistrict["due"]!.GetValue<int>(), byDistrict["satisfactionRate"]!.GetValue<double>()));
    }

    [Fact]
    public async Task An_agent_is_never_handed_a_grievance_they_registered_themselves()
    {
        var (_, _, callBack) = await DisposedAsync(agent: "desk-7");
        var campaign = await CampaignOfAsync(callBack);

        Assert.Equal("NONE_DUE", (await NextAsync("desk-7", campaign))["reason"]!.GetValue<string>());
        Assert.Equal(callBack.ToString(), (await NextAsync("desk-8", campaign))["callBack"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Information_requests_answered_on_the_call_and_suggestions_are_not_called_back_by_default()
    {
        var (info, _) = await RegisterAsync(kind: "INFORMATION");
        (await Host.GraphQLAsync(
            "mutation($r: String!) { disposeInformationRequest(referenceNumber: $r, agentId: \"agent-1\", answer: \"Office hours are 10 to 5\") { status } }",
            new { r = info })).Get("disposeInformationRequest");
        var (suggestion, officer) = await RegisterAsync(kind: "SUGGESTION");
        await ResolveAsync(suggestion, officer, "Forwarded to the planning cell");
        var (complaint, _, _) = await DisposedAsync(); // events come in order: once its call-back exists, the others were seen

        Assert.Empty(await CallBacksOfAsync(info));
        Assert.Empty(await CallBacksOfAsync(suggestion));
        Assert.Single(await CallBacksOfAsync(complaint));
    }
}
