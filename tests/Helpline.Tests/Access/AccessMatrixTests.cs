using System.Net;
using GraphQL.Types;
using Helpline.Platform.Access;

namespace Helpline.Tests.Access;

/// <summary>
/// The README's matrix of operation × role against the running service: every root field of the served schema has
/// one row, the roles each field declares are the row's, and each role's call of each field is refused or let through
/// as the row says. The documents are harmless: unknown numbers and invalid values, so that an allowed mutation gets
/// past authorization and fails on validation, changing nothing.
/// </summary>
public sealed partial class AccessMatrixTests(AccessTestHost world) : IClassFixture<AccessTestHost>
{
    // A well-formed number (its check digit right) that nobody has: allowed calls get past authorization to UNKNOWN_GRIEVANCE.
    private static readonly string Nobody = Helpline.Grievances.Domain.ReferenceNumber.Create(987_654_321, AccessTestHost.T0);

    /// <summary>A minimal valid document per root field.</summary>
    private static readonly Dictionary<string, string> Documents = new(StringComparer.Ordinal)
    {
        ["query me"] = "{ me { role } }",
        ["query categories"] = """{ categories(departmentId: "rural-development") { id } }""",
        ["query departments"] = "{ departments { id } }",
        ["query whoResolves"] = """{ whoResolves(categoryId: "rev-mutation-delay", jurisdictionId: "district:162") { office { title } } }""",
        ["query responsibleOffices"] = """{ responsibleOffices(jurisdictionId: "district:162") { office { title } } }""",
        ["query jurisdiction"] = """{ jurisdiction(id: "district:162") { id } }""",
        ["query jurisdictions"] = "{ jurisdictions { id } }",
        ["query officer"] = """{ officer(id: "nobody") { id } }""",
        ["query position"] = """{ position(id: "nobody") { id } }""",
        ["query node"] = """{ node(id: "T2ZmaWNlcjpub2JvZHk") { globalId } }""",
        ["query nodes"] = """{ nodes(ids: ["T2ZmaWNlcjpub2JvZHk"]) { globalId } }""",
        ["query calendarFor"] = """{ calendarFor(jurisdictionId: "district:162") { __typename } }""",
        ["query holidays"] = """{ holidays(jurisdictionId: "district:162", from: "2026-12-01", to: "2026-12-31") { __typename } }""",
        ["query slaPolicies"] = """{ slaPolicies(categoryId: "rd-pmayg-not-sanctioned") { __typename } }""",
        ["query slaPolicy"] = """{ slaPolicy(categoryId: "rd-pmayg-not-sanctioned", level: 1) { __typename } }""",
        ["query dueDatePreview"] = """{ dueDatePreview(categoryId: "rd-pmayg-not-sanctioned", jurisdictionId: "block:1330", level: 1, start: "2026-11-02T04:30:00Z") { __typename } }""",
        // Digits that are not digits: refused before the wrong-tries guard counts anything.
        ["query grievanceStatus"] = $$"""{ grievanceStatus(referenceNumber: "{{Nobody}}", mobileLastFour: "abcd") { status } }""",
        ["query grievance"] = $$"""{ grievance(referenceNumber: "{{Nobody}}") { referenceNumber } }""",
        ["query grievances"] = "{ grievances(first: 1) { totalCount } }",
        ["query grievanceDashboard"] = "{ grievanceDashboard { total { total } } }",
        ["query callerHistory"] = """{ callerHistory(mobile: "9415012345", first: 1) { totalCount } }""",
        ["query callerMonth"] = """{ callerMonth(mobile: "9415012345") { remaining } }""",
        ["query possibleDuplicates"] = """{ possibleDuplicates(mobile: "9415012345", first: 1) { reason } }""",
        ["mutation allowExtraComplaint"] = """mutation { allowExtraComplaint(input: { clientRequestId: "matrix-1", mobile: "9415012345", reason: "" }) { remaining } }""",
        ["mutation linkCall"] = $$"""mutation { linkCall(input: { clientRequestId: "matrix-1", referenceNumber: "{{Nobody}}", mobile: "9415012345" }) { status } }""",
        ["query grievanceEvents"] = "{ grievanceEvents(first: 1) { hasNextPage } }",
        ["subscription grievanceEvents"] = "subscription { grievanceEvents { type } }",
        ["subscription workloadChanges"] = "subscription { workloadChanges(officerId: \"OFF-000001\") { officerId } }",
        ["query accessLog"] = "{ accessLog(first: 1) { hasNextPage } }",
        ["query subjectLimit"] = """{ subjectLimit(subject: "matrix-nobody") { subject } }""",
        ["mutation registerGrievance"] = """
            mutation { registerGrievance(input: { clientRequestId: "matrix-1", kind: COMPLAINT, channel: PHONE,
              complainant: { name: "Sita Devi", mobile: "9415012345" }, jurisdictionId: "block:1330",
              categoryId: "no-such-category", description: "Matrix test" }) { referenceNumber } }
            """,
        ["mutation disposeInformationRequest"] = $$"""mutation { disposeInformationRequest(referenceNumber: "{{Nobody}}", answer: "x") { status } }""",
        ["mutation resolveGrievance"] = $$"""mutation { resolveGrievance(referenceNumber: "{{Nobody}}", actionTakenReport: "x") { status } }""",
        ["mutation rejectGrievance"] = $$"""mutation { rejectGrievance(referenceNumber: "{{Nobody}}", reason: "x") { status } }""",
        ["mutation pauseGrievance"] = $$"""mutation { pauseGrievance(referenceNumber: "{{Nobody}}", reason: "x") { status } }""",
        ["mutation resumeGrievance"] = $$"""mutation { resumeGrievance(referenceNumber: "{{Nobody}}") { status } }""",
        ["mutation recordInterimReply"] = $$"""mutation { recordInterimReply(referenceNumber: "{{Nobody}}", reply: "x") { status } }""",
        ["mutation forwardGrievance"] = $$"""mutation { forwardGrievance(referenceNumber: "{{Nobody}}", positionId: "nowhere", reason: "x") { status } }""",
        ["mutation recategoriseGrievance"] = $$"""mutation { recategoriseGrievance(referenceNumber: "{{Nobody}}", categoryId: "no-such-category", reason: "x") { status } }""",
        ["mutation reopenGrievance"] = $$"""mutation { reopenGrievance(referenceNumber: "{{Nobody}}", reason: "x") { status } }""",
        ["mutation requestReturn"] = $$"""mutation { requestReturn(referenceNumber: "{{Nobody}}", kind: REPEAT, reason: "x") { status } }""",
        ["mutation decideReturn"] = $$"""mutation { decideReturn(referenceNumber: "{{Nobody}}", approve: false, reason: "x") { status } }""",
        ["mutation importGrievances"] = "mutation { importGrievances(records: []) { __typename } }",
        ["mutation addHolidays"] = """mutation { addHolidays(holidays: [{ jurisdictionId: "nowhere:0", date: "2026-12-24", name: "Matrix" }]) { __typename } }""",
        ["mutation importHolidays"] = """mutation { importHolidays(format: CSV, jurisdictionId: "nowhere:0", content: "not a holiday file") { __typename } }""",
        ["mutation removeHoliday"] = """mutation { removeHoliday(jurisdictionId: "nowhere:0", date: "2026-12-24") }""",
        ["mutation saveCalendar"] = """mutation { saveCalendar(input: { id: "Not A Valid Id", name: "Matrix", opening: "10:00", closing: "17:00", workingDays: [] }) { __typename } }""",
        ["mutation assignCalendar"] = """mutation { assignCalendar(calendarId: "no-such-calendar", jurisdictionId: "nowhere:0") { __typename } }""",
        ["mutation setSlaPolicy"] = """mutation { setSlaPolicy(categoryId: "no-such-category", level: 1, unit: CALENDAR_DAYS, amount: 1) { __typename } }""",
        ["mutation resetSlaPolicy"] = """mutation { resetSlaPolicy(categoryId: "no-such-category", level: 1) }""",
        ["mutation limitSubject"] = """mutation { limitSubject(subject: "matrix-nobody", departmentIds: ["no-such-department"]) { subject } }""",
        ["mutation revokeTokens"] = """mutation { revokeTokens(subject: "") { subject } }""",
        ["mutation persistDocuments"] = """mutation { persistDocuments(documents: []) }""",
        ["query routingMap"] = """{ routingMap(categoryId: "no-such-category") { categoryId } }""",
        ["query routeChanges"] = """{ routeChanges(categoryId: "no-such-category") { id } }""",
        ["query routePreview"] = """{ routePreview(categoryId: "no-such-category", jurisdictionId: "block:1330") { categoryId } }""",
        ["mutation setRoute"] = """mutation { setRoute(input: { categoryId: "no-such-category", jurisdictionId: "block:1330", positionId: "nowhere" }) { categoryId } }""",
        ["mutation clearRoute"] = """mutation { clearRoute(input: { categoryId: "no-such-category", jurisdictionId: "block:1330" }) { categoryId } }""",
        ["query categoryChanges"] = """{ categoryChanges(categoryId: "no-such-category", first: 1) { id } }""",
        ["mutation addCategory"] = """mutation { addCategory(input: { id: "Not A Valid Id", name: "Matrix", nameHindi: "मैट्रिक्स", departmentId: "revenue", resolutionLevel: TEHSIL, slaDays: [7, 7, 7, 7] }) { id } }""",
        ["mutation renameCategory"] = """mutation { renameCategory(input: { categoryId: "no-such-category", name: "Matrix", nameHindi: "मैट्रिक्स" }) { id } }""",
        ["mutation retireCategory"] = """mutation { retireCategory(input: { categoryId: "no-such-category" }) { id } }""",
        ["mutation remapCategory"] = """mutation { remapCategory(input: { categoryId: "no-such-category", departmentId: "revenue" }) { id } }""",
        ["query vacantPositions"] = """{ vacantPositions(departmentId: "no-such-department") { id } }""",
        ["query postings"] = """{ postings(officerId: "OFF-999999") { id } }""",
        ["query leaves"] = """{ leaves(officerId: "OFF-999999") { id } }""",
        ["mutation addOfficer"] = """mutation { addOfficer(input: { clientRequestId: "matrix-1", name: "", mobile: "1" }) { id } }""",
        ["mutation postOfficer"] = """mutation { postOfficer(input: { officerId: "OFF-999999", positionId: "nowhere" }) { id } }""",
        ["mutation endPosting"] = """mutation { endPosting(input: { officerId: "OFF-999999", reason: RETIREMENT }) { id } }""",
        ["mutation recordLeave"] = """mutation { recordLeave(input: { officerId: "OFF-999999", from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z", chargeOfficerId: "OFF-999998" }) { id } }""",
        ["mutation endLeave"] = """mutation { endLeave(input: { leaveId: "999999" }) { id } }""",
        ["mutation setOfficePhone"] = """mutation { setOfficePhone(input: { positionId: "nowhere", officePhone: "1" }) { id } }""",
        ["query workloadBoard"] = """{ workloadBoard(jurisdictionId: "nowhere") { open } }""",
        ["query teamWorkload"] = """{ teamWorkload(positionId: "nowhere") { open } }""",
        ["query rebalanceProposal"] = """{ rebalanceProposal(positionId: "nowhere") { officers } }""",
        ["mutation applyRebalance"] = """mutation { applyRebalance(positionId: "nowhere", moves: []) { applied } }""",
        ["query poolChanges"] = """{ poolChanges(positionId: "nowhere") { id } }""",
        ["mutation setPool"] = """mutation { setPool(positionId: "nowhere", capacity: 0) { id } }""",
        ["mutation setOfficerCapacity"] = """mutation { setOfficerCapacity(officerId: "OFF-999999", capacity: 0) { id } }""",
        ["query callBackCampaigns"] = """{ callBackCampaigns(day: "2026-11-02") { id } }""",
        ["query callBack"] = """{ callBack(id: "00000000-0000-0000-0000-000000000000") { id } }""",
        ["query callBackFigures"] = """{ callBackFigures(by: DEPARTMENT, from: "2026-11-01T00:00:00Z", to: "2026-11-01T00:00:00Z") { key } }""",
        ["mutation nextCallBack"] = """mutation { nextCallBack(campaignId: "nowhere") { reason } }""",
        ["mutation recordCallBackOutcome"] = """mutation { recordCallBackOutcome(callBackId: "nowhere", outcome: SATISFIED) { grievanceStatus } }""",
        ["mutation setCampaignCallingHours"] = """mutation { setCampaignCallingHours(campaignId: "nowhere", from: "08:00", until: "20:00") { id } }""",
        ["query penaltyFlags"] = """{ penaltyFlags(period: "2026-11") { id } }""",
        ["query penaltyFlag"] = """{ penaltyFlag(id: "00000000-0000-0000-0000-000000000000") { id } }""",
        ["query officerRecord"] = """{ officerRecord(officerId: "OFF-999999", month: "2026-11") { disposals } }""",
        ["query disposalGrades"] = """{ disposalGrades(referenceNumber: "000000000000") { id } }""",
        ["query ranking"] = """{ ranking(month: "2026-11", level: DISTRICT) { month } }""",
        ["query rankingEvidence"] = """{ rankingEvidence(month: "2026-11", level: OFFICER, unitId: "OFF-999999", measure: DISPOSAL_WITHIN_TIME) { referenceNumber } }""",
        ["mutation gradeDisposal"] = """mutation { gradeDisposal(referenceNumber: "000000000000", grade: A, remark: "Good") { id } }""",
        ["mutation reviewPenaltyFlag"] = """mutation { reviewPenaltyFlag(flagId: "00000000-0000-0000-0000-000000000000", decision: UPHOLD, reason: "Seen") { id } }""",
        ["mutation computeRankings"] = """mutation { computeRankings(month: "2099-01") { month } }""",
        ["mutation skipRankings"] = """mutation { skipRankings(month: "2026-11", reason: "") { month } }""",
    };

    private async Task<ISchema> ServedSchemaAsync()
    {
        // The schema is built on first use: make one request so that it is.
        await world.SendAsync("{ me { role } }");
        var schema = world.Host.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }

    private static IEnumerable<(string Operation, FieldType Field)> RootFields(ISchema schema) =>
        schema.Query.Fields.Where(f => !f.Name.StartsWith("__", StringComparison.Ordinal)).Select(f => ($"query {f.Name}", f))
            .Concat((schema.Mutation?.Fields.AsEnumerable() ?? []).Select(f => ($"mutation {f.Name}", f)))
            .Concat((schema.Subscription?.Fields.AsEnumerable() ?? []).Select(f => ($"subscription {f.Name}", f)));

    [Fact]
    public async Task Every_root_field_has_exactly_one_row_and_every_row_names_a_served_field()
    {
        var rows = AccessMatrix.Read();
        var served = RootFields(await ServedSchemaAsync()).Select(f => f.Operation).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(rows.GroupBy(r => r.Operation).Where(g => g.Count() > 1).Select(g => $"{g.Key} (lines {string.Join(", ", g.Select(r => r.Line))})"));
        Assert.Empty(served.Where(f => rows.All(r => r.Operation != f)).Order(StringComparer.Ordinal)); // a field without a row
        Assert.Empty(rows.Where(r => !served.Contains(r.Operation)).Select(r => $"{r.Operation} (line {r.Line})")); // a row without a field
        Assert.Equal(served.Count, rows.Count);
    }

    [Fact]
    public async Task The_roles_each_field_declares_are_the_roles_of_its_row()
    {
        var rows = AccessMatrix.Read().ToDictionary(r => r.Operation, StringComparer.Ordinal);
        var disagreements = new List<string>();
        foreach (var (operation, field) in RootFields(await ServedSchemaAsync()))
        {
            var declared = FieldAccess.RolesOf(field);
            if (!rows.TryGetValue(operation, out var row))
            {
                continue; // the test above names it
            }

            if (declared is null || !declared.SetEquals(row.Allowed))
            {
                disagreements.Add($"{operation}: README {Names(row.Allowed)}, schema {(declared is null ? "(no roles declared)" : Names(declared))}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    [Fact]
    public async Task Each_role_calling_each_field_is_refused_or_let_through_as_the_README_says()
    {
        var rows = AccessMatrix.Read();
        var tokens = RoleNames.All.Where(r => r != Role.Public).ToDictionary(r => r, r => world.Token(r, "matrix-" + RoleNames.NameOf(r)));
        var failures = new List<string>();
        foreach (var row in rows)
        {
            if (!Documents.TryGetValue(row.Operation, out var document))
            {
                failures.Add($"{row.Operation}: no document in {nameof(AccessMatrixTests)}.{nameof(Documents)}; add a harmless one");
                continue;
            }

            foreach (var role in RoleNames.All)
            {
                if (row.Kind == "subscription")
                {
                    await CheckSubscriptionAsync(row, role, document, role == Role.Public ? null : tokens[role], failures);
                    continue;
                }

                var r = await world.SendAsync(document, bearer: role == Role.Public ? null : tokens[role]);
                var cell = $"{row.Operation} × {RoleNames.NameOf(role)}";
                if (row.Allowed.Contains(role))
                {
                    // Allowed: the document ran (200) and nothing said the role may not; a domain error is expected.
                    if (r.Status != HttpStatusCode.OK || r.Codes.Any(c => c is AccessErrorCodes.Forbidden or AccessErrorCodes.AuthenticationRequired))
                    {
                        failures.Add($"{cell}: allowed by the README, answered {r}");
                    }
                }
                else
                {
                    var (status, code) = role == Role.Public
                        ? (HttpStatusCode.Unauthorized, AccessErrorCodes.AuthenticationRequired)
                        : (HttpStatusCode.Forbidden, AccessErrorCodes.Forbidden);
                    if (r.Status != status || r.FirstCode != code || r.Body["data"] is not null || (role == Role.Public && r.WwwAuthenticate?.StartsWith("Bearer", StringComparison.Ordinal) != true))
                    {
                        failures.Add($"{cell}: refused by the README, expected {(int)status} {code} without data (and a Bearer challenge for the public), answered {r} (WWW-Authenticate: {r.WwwAuthenticate})");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} cells disagree with the README:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    // Subscriptions are served over WebSocket: an operation refused to the role ends with an error message before the
    // pong of a ping sent after it; an allowed one (even one refused for its arguments) never says FORBIDDEN.
    private async Task CheckSubscriptionAsync(AccessMatrix.Row row, Role role, string document, string? token, List<string> failures)
    {
        await using var client = await Helpline.Tests.GraphQL.Ws.WsTestClient.InitAsync(world.Host.Http.BaseAddress!, token);
        await client.SubscribeAsync("m", document);
        var before = await client.SyncAsync();
        var codes = before.Where(m => m["type"]?.GetValue<string>() == "error")
            .SelectMany(m => m["payload"]!.AsArray().Select(e => e?["extensions"]?["code"]?.GetValue<string>()))
            .ToList();
        var cell = $"{row.Operation} × {RoleNames.NameOf(role)}";
        var refusal = role == Role.Public ? AccessErrorCodes.AuthenticationRequired : AccessErrorCodes.Forbidden;
        if (row.Allowed.Contains(role) && codes.Any(c => c is AccessErrorCodes.Forbidden or AccessErrorCodes.AuthenticationRequired))
        {
            failures.Add($"{cell}: allowed by the README, answered {string.Join(", ", codes)}");
        }
        else if (!row.Allowed.Contains(role) && codes.FirstOrDefault() != refusal)
        {
            failures.Add($"{cell}: refused by the README, expected {refusal}, answered {(codes.Count == 0 ? "a live subscription" : string.Join(", ", codes))}");
        }
    }

    /// <summary>Nested fields narrower than their parent, with who may ask for them.</summary>
    private static readonly Dictionary<string, (string Document, Role[] Allowed)> NestedFields = new(StringComparer.Ordinal)
    {
        ["Officer.mobile"] = ("query($o: String!) { officer(id: $o) { mobile } }", [.. RoleNames.All.Where(r => r != Role.Public)]),
        ["Officer.workload"] = ("query($o: String!) { officer(id: $o) { workload { open } } }", [Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner]),
        ["Officer.alerts"] = ("query($o: String!) { officer(id: $o) { alerts { kind } } }", [Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner]),
    };

    [Fact]
    public async Task Nested_fields_narrower_than_their_parent_are_refused_to_the_other_roles()
    {
        var schema = await ServedSchemaAsync();
        var narrowed = schema.AllTypes.OfType<IComplexGraphType>()
            .Where(t => t != schema.Query && t != schema.Mutation && t != schema.Subscription)
            .SelectMany(t => t.Fields.Where(f => FieldAccess.RolesOf(f) is not null).Select(f => $"{t.Name}.{f.Name}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(NestedFields.Keys.Order(StringComparer.Ordinal), narrowed); // a new narrowed field needs a case here

        var officerId = (await world.SendAsync("{ jurisdiction(id: \"block:1330\") { positions { holder { id } } } }"))
            .Get("jurisdiction.positions").AsArray().Select(p => p!["holder"]?["id"]?.GetValue<string>()).First(id => id is not null)!;
        var failures = new List<string>();
        foreach (var (name, (document, allowed)) in NestedFields)
        {
            var declared = FieldAccess.RolesOf(schema.AllTypes[name.Split('.')[0]] is IComplexGraphType type ? type.GetField(name.Split('.')[1])! : throw new InvalidOperationException(name));
            if (declared is null || !declared.SetEquals(allowed))
            {
                failures.Add($"{name}: declares {(declared is null ? "nothing" : Names(declared))}, expected {Names(allowed)}");
            }

            foreach (var role in RoleNames.All)
            {
                var r = await world.SendAsync(document, new { o = officerId }, role == Role.Public ? null : world.Token(role, "nested-" + RoleNames.NameOf(role)));
                var refused = r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var expected = allowed.Contains(role) ? HttpStatusCode.OK : role == Role.Public ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (r.Status != expected || (refused && r.Body["data"] is not null) || (!refused && r.Errors is not null))
                {
                    failures.Add($"{name} × {RoleNames.NameOf(role)}: expected {(int)expected}, answered {r}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string Names(IEnumerable<Role> roles) => "[" + string.Join(", ", roles.Order().Select(RoleNames.NameOf)) + "]";
}
