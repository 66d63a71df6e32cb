using System.Text.Json.Nodes;
using Helpline.Officers;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Accountability;

/// <summary>
/// Real grievances through the real host: the SLA engine's breach and a recategorisation that clears it, a disposal
/// graded by the officer's real supervisor and then regraded, a reopening by an agent, and the officer's record that
/// comes out of them. The module's subscriber reads the events from the log as in the running service.
/// </summary>
public sealed class AccountabilityEndToEndTests : AccountabilityTest
{
    private static readonly string[] RecordFields = ["disposals", "disposedWithinTime", "breaches", "breachesCleared", "reopened", "cGrades"];

    private string _block = null!;
    private string[] _categories = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cats = (await Host.GraphQLAsync("{ categories(departmentId: \"rural-development\") { id resolutionLevel slaDays } }")).Get("categories").AsArray();
        _categories = [.. cats.Where(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7).Select(c => c!["id"]!.GetValue<string>())];
        _block = (await Host.GraphQLAsync("{ jurisdiction(id: \"district:162\") { children { id kind } } }"))
            .Get("jurisdiction.children").AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Breaches_grades_and_reopenings_of_real_grievances_count_against_the_officer_who_held_them_then()
    {
        var (late, officer) = await RegisterAsync();
        var (disposed, _) = await RegisterAsync();
        var supervisor = Host.Services.GetRequiredService<IOfficerDirectory>() is var d && d.FindOfficer(officer)!.PositionId is { } seat
            ? d.SupervisorOf(seat)!.Officer.Id
            : throw new InvalidOperationException("The L1 officer has no seat.");

        // The L1 officer resolves one within time; the other's due date passes and it goes to the supervisor (L2).
        await Host.GraphQLAsync("mutation($r: String!, $o: String!) { resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: \"Hand pump repaired\") { status } }", new { r = disposed, o = officer });
        Host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 4, 30, 0, TimeSpan.Zero));
        await Wait.UntilAsync(() => FactsAsync(late), f => f.Any(x => x.Kind == "breach"), "the breach recorded");
        Assert.Equal([("breach", officer, false, false)], await FactsAsync(late));
        Assert.Equal([("disposal", officer, false, false)], await FactsAsync(disposed));

        // The supervisor, now holding it, moves it to the right category: routed to L1 afresh, the breach no longer
        // holds and counts against nobody.
        var moved = await Host.GraphQLAsync(
            "mutation($r: String!, $a: String!, $c: String!) { recategoriseGrievance(referenceNumber: $r, actorId: $a, categoryId: $c, reason: \"Filed under the wrong scheme\") { level } }",
            new { r = late, a = supervisor, c = _categories[1] });
        Assert.Equal(1, moved.Get("recategoriseGrievance.level").GetValue<int>());
        await Wait.UntilAsync(() => FactsAsync(late), f => f[0].Cleared, "the breach cleared");

        // The supervisor grades the disposal C, then revises it to B: the C no longer counts, both grades are kept.
        const string grade = "mutation($r: String!, $g: DisposalGrade!, $m: String!) { gradeDisposal(referenceNumber: $r, grade: $g, remark: $m) { grade officerId supersededAt } }";
        var c = await Host.GraphQLAsync(grade, new { r = disposed, g = "C", m = "No photograph of the repaired pump" }, SupervisorToken(supervisor));
        Assert.Equal(("C", officer), (c.Get("gradeDisposal.grade").GetValue<string>(), c.Get("gradeDisposal.officerId").GetValue<string>()));
        Assert.Contains(("c_grade", officer, false, false), await FactsAsync(disposed));
        await Host.GraphQLAsync(grade, new { r = disposed, g = "B", m = "Photograph received" }, SupervisorToken(supervisor));
        Assert.Contains(("c_grade", officer, false, true), await FactsAsync(disposed));
        var grades = (await Host.GraphQLAsync("query($r: String!) { disposalGrades(referenceNumber: $r) { grade supersededAt } }", new { r = disposed })).Get("disposalGrades").AsArray();
        Assert.Equal(["B current", "C superseded"], grades.Select(g => $"{g!["grade"]} {(g["supersededAt"] is null ? "current" : "superseded")}").ToArray());

        // Another supervisor may not grade it (to them it is a disposal they cannot see, as for a number nobody has);
        // the officer may not grade their own; a grievance never disposed has nothing to grade.
        var stranger = await Host.GraphQLAsync(grade, new { r = disposed, g = "A", m = "Fine" }, SupervisorToken("OFF-999999"));
        Assert.Equal(("UNKNOWN_DISPOSAL", "referenceNumber"), (stranger.FirstErrorCode, stranger.FirstErrorField));
        var own = await Host.GraphQLAsync(grade, new { r = disposed, g = "A", m = "Fine" }, SupervisorToken(officer));
        Assert.Equal("NOT_THE_SUPERVISOR", own.FirstErrorCode);
        Assert.Equal("UNKNOWN_DISPOSAL", (await Host.GraphQLAsync(grade, new { r = late, g = "A", m = "Fine" }, AdministratorToken)).FirstErrorCode);
        var agraAdministrator = TestTokens.Mint(Role.Administrator, "agra-admin", jurisdictions: ["district:118"]);
        Assert.Equal("UNKNOWN_DISPOSAL", (await Host.GraphQLAsync(grade, new { r = disposed, g = "A", m = "Fine" }, agraAdministrator)).FirstErrorCode);

        // The complainant calls again: reopened one level up, counted against the officer whose disposal it undoes.
        await Host.GraphQLAsync("mutation($r: String!) { reopenGrievance(referenceNumber: $r, reason: \"Pump broke again the next day\") { level } }", new { r = disposed });
        await Wait.UntilAsync(() => FactsAsync(disposed), f => f.Any(x => x.Kind == "reopened"), "the reopening recorded");
        Assert.Contains(("reopened", officer, false, false), await FactsAsync(disposed));

        var record = (await Host.GraphQLAsync(
            "query($o: String!) { officerRecord(officerId: $o, month: \"2026-11\") { disposals disposedWithinTime breaches breachesCleared reopened cGrades } }",
            new { o = officer })).Get("officerRecord");
        Assert.Equal("1 1 0 1 1 0", string.Join(' ', RecordFields.Select(k => record[k]!.ToString())));

        // The officer sees their own record, not another's.
        Assert.Equal("OUT_OF_SCOPE", (await Host.GraphQLAsync(
            "query($o: String!) { officerRecord(officerId: $o, month: \"2026-11\") { disposals } }", new { o = supervisor }, DefaultCallers.TokenOf(Role.Officer, officer))).FirstErrorCode);
    }

    private async Task<(string Reference, string Officer)> RegisterAsync()
    {
        var r = await Host.GraphQLAsync(
            Complaints.Register,
            new
            {
                i = new
                {
                    clientRequestId = "acc-" + Guid.NewGuid().ToString("N"),
                    kind = "COMPLAINT",
                    complainant = new { name = "Meena Devi", mobile = "9415012345" },
                    jurisdictionId = _block,
                    categoryId = _categories[0],
                    description = "Hand pump not repaired",
                    channel = "PHONE",
                    agentId = "agent-1",
                },
            });
        return (r.Get("registerGrievance.referenceNumber").GetValue<string>(), r.Get("registerGrievance.officer.id").GetValue<string>());
    }
}
