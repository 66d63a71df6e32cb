using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Access;

/// <summary>The matrix inside and outside scope: the grievance fields with tokens scoped to the grievance's district and to another.</summary>
public sealed partial class AccessMatrixTests
{
    [Fact]
    public async Task A_partner_scoped_to_the_district_finds_its_grievance_and_one_scoped_elsewhere_does_not()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock);
        var inside = world.Token(Role.Partner, "matrix-partner-lucknow", jurisdictions: [Places.Lucknow]);
        var outside = world.Token(Role.Partner, "matrix-partner-agra", jurisdictions: [Places.Agra]);
        const string one = "query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }";
        const string list = "{ grievances(first: 100) { totalCount nodes { referenceNumber } } }";
        const string events = "query($r: String!) { grievanceEvents(referenceNumber: $r, first: 10) { nodes { referenceNumber type } } }";

        Assert.Equal(g.ReferenceNumber, (await world.SendAsync(one, new { r = g.ReferenceNumber }, inside)).Get("grievance.referenceNumber").GetValue<string>());
        var refused = await world.SendAsync(one, new { r = g.ReferenceNumber }, outside);
        Assert.Equal("UNKNOWN_GRIEVANCE", refused.FirstCode);

        var mine = (await world.SendAsync(list, bearer: inside)).Get("grievances");
        Assert.Contains(mine["nodes"]!.AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == g.ReferenceNumber);
        Assert.True(mine["totalCount"]!.GetValue<int>() >= 1);
        var theirs = (await world.SendAsync(list, bearer: outside)).Get("grievances");
        Assert.DoesNotContain(theirs["nodes"]!.AsArray(), n => n!["referenceNumber"]!.GetValue<string>() == g.ReferenceNumber);
        Assert.Equal(0, theirs["totalCount"]!.GetValue<int>());

        // The feed is filled by a projection: wait until the inside partner sees the registration, then the other must not.
        await Wait.UntilAsync(
            async () => (await world.SendAsync(events, new { r = g.ReferenceNumber }, inside)).Get("grievanceEvents.nodes").AsArray().Count,
            n => n > 0,
            "the registration in the feed");
        Assert.Empty((await world.SendAsync(events, new { r = g.ReferenceNumber }, outside)).Get("grievanceEvents.nodes").AsArray());
    }

    /// <summary>Documents naming one grievance ($r) or its complainant's mobile ($m), with what a hit looks like.</summary>
    private static readonly Dictionary<string, string> GrievanceDocuments = new(StringComparer.Ordinal)
    {
        ["query grievance"] = "query($r: String!) { grievance(referenceNumber: $r) { referenceNumber } }",
        ["query grievances"] = "{ grievances(first: 100) { totalCount nodes { referenceNumber } } }",
        ["query callerHistory"] = "query($m: String!) { callerHistory(mobile: $m) { totalCount nodes { referenceNumber } } }",
        ["query grievanceEvents"] = "query($r: String!) { grievanceEvents(referenceNumber: $r, first: 10) { nodes { referenceNumber } } }",
        ["mutation resolveGrievance"] = "mutation($r: String!) { resolveGrievance(referenceNumber: $r, actionTakenReport: \"x\") { status } }",
        ["mutation rejectGrievance"] = "mutation($r: String!) { rejectGrievance(referenceNumber: $r, reason: \"x\") { status } }",
        ["mutation pauseGrievance"] = "mutation($r: String!) { pauseGrievance(referenceNumber: $r, reason: \"x\") { status } }",
        ["mutation resumeGrievance"] = "mutation($r: String!) { resumeGrievance(referenceNumber: $r) { status } }",
        ["mutation recordInterimReply"] = "mutation($r: String!) { recordInterimReply(referenceNumber: $r, reply: \"x\") { status } }",
        ["mutation forwardGrievance"] = "mutation($r: String!) { forwardGrievance(referenceNumber: $r, positionId: \"x\", reason: \"x\") { status } }",
        ["mutation recategoriseGrievance"] = "mutation($r: String!) { recategoriseGrievance(referenceNumber: $r, categoryId: \"rd-pmayg-instalment-delay\", reason: \"x\") { status } }",
        ["mutation reopenGrievance"] = "mutation($r: String!) { reopenGrievance(referenceNumber: $r, reason: \"x\") { status } }",
        ["mutation requestReturn"] = "mutation($r: String!) { requestReturn(referenceNumber: $r, kind: REPEAT, reason: \"x\") { status } }",
        ["mutation decideReturn"] = "mutation($r: String!) { decideReturn(referenceNumber: $r, approve: false, reason: \"x\") { status } }",
        ["mutation linkCall"] = "mutation($r: String!) { linkCall(input: { clientRequestId: \"scope-link\", referenceNumber: $r, mobile: \"9415033333\" }) { status } }",
        ["mutation disposeInformationRequest"] = "mutation($r: String!) { disposeInformationRequest(referenceNumber: $r, answer: \"x\") { status } }",
    };

    [Fact]
    public async Task Every_role_allowed_a_grievance_field_finds_the_grievance_inside_its_scope_and_nothing_outside()
    {
        var g = await world.RegisterAsync(Places.LucknowBlock, name: "Scope Matrix", mobile: "9415033333");
        Assert.NotNull(g.SupervisorOfficerId);
        const string read = "query($r: String!) { grievance(referenceNumber: $r) { status officer { id } timeline { sequence } } }";
        var auditor = world.Token(Role.Auditor, "matrix-scope-auditor");
        var before = (await world.SendAsync(read, new { r = g.ReferenceNumber }, auditor)).Get("grievance").ToJsonString();
        var rows = AccessMatrix.Read().ToDictionary(r => r.Operation, StringComparer.Ordinal);
        var variables = new { r = g.ReferenceNumber, m = "9415033333" };
        string Subject(Role role) => role switch
        {
            Role.Officer => g.OfficerId,
            Role.Supervisor => g.SupervisorOfficerId!,
            _ => "matrix-scope-" + RoleNames.NameOf(role),
        };

        static bool Finds(string operation, AccessResponse r, string reference) => operation switch
        {
            "query grievance" => r.Errors is null && r.Get("grievance.referenceNumber").GetValue<string>() == reference,
            "query grievanceEvents" => r.Errors is null && r.Get("grievanceEvents.nodes").AsArray().Count > 0,
            _ => r.Errors is null && r.Get(operation.Split(' ')[1] + ".nodes").AsArray().Any(n => n!["referenceNumber"]!.GetValue<string>() == reference),
        };

        var failures = new List<string>();
        foreach (var (operation, document) in GrievanceDocuments)
        {
            foreach (var role in rows[operation].Allowed)
            {
                var outside = await world.SendAsync(document, variables, world.Token(role, Subject(role), jurisdictions: [Places.Agra]));
                var hidden = operation.StartsWith("mutation", StringComparison.Ordinal) || operation == "query grievance"
                    ? outside.FirstCode == "UNKNOWN_GRIEVANCE"
                    : outside.Errors is null && !Finds(operation, outside, g.ReferenceNumber)
                      && (operation == "query grievanceEvents" || outside.Get(operation.Split(' ')[1] + ".totalCount").GetValue<int>() == 0);
                if (!hidden)
                {
                    failures.Add($"{operation} × {RoleNames.NameOf(role)} scoped to Agra: expected not to find the Lucknow grievance, answered {outside}");
                }

                if (operation.StartsWith("query", StringComparison.Ordinal))
                {
                    // The feed is filled by a projection: wait for it inside the scope.
                    var inside = await Wait.UntilAsync(
                        () => world.SendAsync(document, variables, world.Token(role, Subject(role), jurisdictions: [Places.Lucknow])),
                        r => Finds(operation, r, g.ReferenceNumber) || operation != "query grievanceEvents",
                        operation);
                    if (!Finds(operation, inside, g.ReferenceNumber))
                    {
                        failures.Add($"{operation} × {RoleNames.NameOf(role)} scoped to Lucknow: expected to find the grievance, answered {inside}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, (await world.SendAsync(read, new { r = g.ReferenceNumber }, auditor)).Get("grievance").ToJsonString());
    }
}
