using System.Diagnostics;
using System.Text.Json.Nodes;
using Helpline.Tests.Durability;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Cluster;

/// <summary>
/// Who handles what, changed live on a cluster of two silos (two processes over one database): every administrative
/// change made through silo A (a new category, an officer posted by transfer, a routing rule, a retirement) is seen by
/// silo B within seconds and without a restart, and B registers and routes by it. The open grievance of the
/// transferred seat moves to the new holder with its due date, wherever its grain lives. Each change's delay on B is
/// reported in the test output.
/// </summary>
public sealed class WhoHandlesWhatAcrossSilosTests : TwoSilos
{
    private const string Tehsil = "tehsil:820";
    private const string District = "district:162";
    private const string Category = "rev-boundary-stone-removed";

    [Fact]
    public async Task Categories_postings_and_routing_changed_on_one_silo_are_used_by_the_other_without_a_restart()
    {
        // 1. A new category, added through A, can be chosen and registered on B.
        await Mutate(A, """
            mutation { addCategory(input: { id: "rev-boundary-stone-removed", name: "Boundary stone removed or shifted",
              nameHindi: "मेड़ का पत्थर हटाया या खिसकाया गया", departmentId: "revenue", resolutionLevel: TEHSIL,
              slaDays: [7, 5, 5, 5], keywords: ["boundary", "pathar"], reason: "Learnt from the first month's calls" }) { id } }
            """);
        await SeenOnB(
            async () => (await Query(B, """{ categories(search: "boundary stone") { id } }"""))["categories"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList(),
            ids => ids.Contains(Category),
            "the category added on A");
        var first = await Register(B, Tehsil);
        Assert.Equal("revenue@" + Tehsil, first["position"]!["id"]!.GetValue<string>());
        var formerHolder = first["officer"]!["id"]!.GetValue<string>();
        var dueAt = first["dueAt"]!.GetValue<DateTimeOffset>();

        // 2. A new officer, added and posted to the tehsil seat through A (relieving its holder): B's public directory
        //    names them, and the open grievance moves to them with its due date, wherever its grain lives.
        var officer = (await Mutate(A, """
            mutation { addOfficer(input: { clientRequestId: "cluster-new-tehsildar", name: "Kavita Srivastava", mobile: "9415099999" }) { id } }
            """))["addOfficer"]!["id"]!.GetValue<string>();
        await Mutate(A, $$"""
            mutation { postOfficer(input: { officerId: "{{officer}}", positionId: "revenue@{{Tehsil}}", relieveHolder: true,
              note: "Transfer order 1234/2026" }) { id } }
            """);
        await SeenOnB(
            async () => (await Query(B, $$"""{ whoResolves(categoryId: "{{Category}}", jurisdictionId: "{{Tehsil}}") { office { holder { name } } } }"""))
                ["whoResolves"]!["office"]!["holder"]?["name"]?.GetValue<string>(),
            name => name == "Kavita Srivastava",
            "the posting made on A, in B's public directory");
        var moved = await Wait.UntilAsync(
            () => Grievance(B, first["referenceNumber"]!.GetValue<string>()),
            g => g["officer"]!["id"]!.GetValue<string>() == officer,
            "the open grievance handed to the new holder");
        Assert.Equal(dueAt, moved["dueAt"]!.GetValue<DateTimeOffset>());
        var handover = moved["timeline"]!.AsArray().Single(t => t!["type"]!.GetValue<string>() == "HANDED_OVER")!;
        Assert.Equal(officer, handover["officerId"]!.GetValue<string>());
        Assert.Contains(formerHolder, handover["note"]!.GetValue<string>(), StringComparison.Ordinal);

        // 3. A routing rule set through A sends the category's registrations in the whole district to the DM's seat.
        await Mutate(A, $$"""
            mutation { setRoute(input: { categoryId: "{{Category}}", jurisdictionId: "{{District}}", positionId: "revenue@{{District}}",
              reason: "Boundary disputes heard by the DM this year" }) { categoryId } }
            """);
        await SeenOnB(
            async () => (await Query(B, $$"""{ routePreview(categoryId: "{{Category}}", jurisdictionId: "{{Tehsil}}") { now { position { id } } } }"""))
                ["routePreview"]!["now"]!["position"]?["id"]?.GetValue<string>(),
            seat => seat == "revenue@" + District,
            "the routing rule set on A");
        var second = await Register(B, Tehsil);
        Assert.Equal("revenue@" + District, second["position"]!["id"]!.GetValue<string>());
        Assert.Equal(officer, (await Grievance(B, first["referenceNumber"]!.GetValue<string>()))["officer"]!["id"]!.GetValue<string>());

        // 4. Retired through A: B refuses new registrations under it; the grievances already under it stay open.
        await Mutate(A, $$"""mutation { retireCategory(input: { categoryId: "{{Category}}", reason: "Merged into land disputes" }) { id } }""");
        await SeenOnB(
            async () => (await Query(B, """{ categories(search: "boundary stone") { id } }"""))["categories"]!.AsArray().Count,
            count => count == 0,
            "the retirement made on A");
        var refused = await B.GraphQLAsync(RegisterDocument, Input(Tehsil));
        Assert.Equal("CATEGORY_RETIRED", refused["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("OPEN", (await Grievance(B, second["referenceNumber"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    private const string RegisterDocument = """
        mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber dueAt officer { id } position { id } } }
        """;

    private static object Input(string place) => new
    {
        i = new
        {
            clientRequestId = $"cluster-who-{Guid.NewGuid():N}",
            kind = "COMPLAINT",
            complainant = new { name = "Ram Kishore", mobile = "9415012345" },
            jurisdictionId = place,
            categoryId = Category,
            description = "The boundary stone between our fields was removed by the neighbour",
            channel = "PHONE",
        },
    };

    private static async Task<JsonNode> Register(ServiceProcess silo, string place) =>
        (await Mutate(silo, RegisterDocument, Input(place)))["registerGrievance"]!;

    private static async Task<JsonNode> Grievance(ServiceProcess silo, string reference) =>
        (await Query(silo, $$"""{ grievance(referenceNumber: "{{reference}}") { status dueAt officer { id } timeline { type officerId note } } }"""))["grievance"]!;

    private static async Task SeenOnB<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(probe, done, $"{what}, seen on B");
        TestContext.Current.SendDiagnosticMessage($"{what}: seen on B after {clock.ElapsedMilliseconds} ms");
    }

    private static Task<JsonNode> Query(ServiceProcess silo, string query) => silo.DataAsync(query);

    private static Task<JsonNode> Mutate(ServiceProcess silo, string mutation, object? variables = null) => silo.DataAsync(mutation, variables);
}
