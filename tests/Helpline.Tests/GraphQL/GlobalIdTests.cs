using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQL;

/// <summary>
/// Relay global ids: every refetchable object's globalId brings it back through node and nodes, with the access rules
/// of its own root field; a grievance outside the caller's scope answers exactly like one nobody has.
/// </summary>
public sealed class GlobalIdTests : HostedTest
{
    private string _reference = null!;
    private string _officer = null!;
    private string _district = null!;
    private string _otherDistrict = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cats = await Host.GraphQLAsync("{ categories { id resolutionLevel } }");
        var category = cats.Get("categories").AsArray().First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var tree = await Host.GraphQLAsync("{ jurisdictions { children { children { id children { id kind } } } } }");
        var districts = tree.Get("jurisdictions.0.children").AsArray().SelectMany(d => d!["children"]!.AsArray())
            .Where(d => d!["children"]!.AsArray().Any(b => b!["kind"]!.GetValue<string>() == "BLOCK")).ToList();
        _district = districts[0]!["id"]!.GetValue<string>();
        _otherDistrict = districts[1]!["id"]!.GetValue<string>();
        var block = districts[0]!["children"]!.AsArray().First(b => b!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var registered = await Host.GraphQLAsync(Complaints.Register, Complaints.Input("global-id-1", block, category));
        _reference = registered.Get("registerGrievance.referenceNumber").GetValue<string>();
        _officer = registered.Get("registerGrievance.officer.id").GetValue<string>();
    }

    [Fact]
    public async Task EveryRefetchableTypeComesBackByItsGlobalId()
    {
        var objects = await Host.GraphQLAsync(
            """
            query($o: String!) {
              officer(id: $o) { id globalId position { id globalId jurisdiction { id globalId } } }
              categories { id globalId department { id globalId } }
            }
            """,
            new { o = _officer },
            HelplineTestHost.NoToken);
        Assert.Null(objects.Errors);
        var expected = new List<(string GlobalId, string Type, string Id)>
        {
            (objects.Get("officer.globalId").GetValue<string>(), "Officer", _officer),
            (objects.Get("officer.position.globalId").GetValue<string>(), "Position", objects.Get("officer.position.id").GetValue<string>()),
            (objects.Get("officer.position.jurisdiction.globalId").GetValue<string>(), "Jurisdiction", objects.Get("officer.position.jurisdiction.id").GetValue<string>()),
            (objects.Get("categories.0.globalId").GetValue<string>(), "Category", objects.Get("categories.0.id").GetValue<string>()),
            (objects.Get("categories.0.department.globalId").GetValue<string>(), "Department", objects.Get("categories.0.department.id").GetValue<string>()),
        };
        Assert.Equal(expected.Count, expected.Select(e => e.GlobalId).Distinct(StringComparer.Ordinal).Count());

        foreach (var (globalId, type, id) in expected)
        {
            var node = await Host.GraphQLAsync(
                """
                query($id: ID!) { node(id: $id) { __typename globalId
                  ... on Officer { id } ... on Position { id } ... on Jurisdiction { id } ... on Category { id } ... on Department { id } } }
                """,
                new { id = globalId },
                HelplineTestHost.NoToken);
            Assert.Null(node.Errors);
            Assert.Equal(type, node.Get("node.__typename").GetValue<string>());
            Assert.Equal(id, node.Get("node.id").GetValue<string>());
            Assert.Equal(globalId, node.Get("node.globalId").GetValue<string>());
        }

        // Stable: the same object has the same id on every read.
        var again = await Host.GraphQLAsync("query($o: String!) { officer(id: $o) { globalId } }", new { o = _officer }, HelplineTestHost.NoToken);
        Assert.Equal(expected[0].GlobalId, again.Get("officer.globalId").GetValue<string>());
    }

    [Fact]
    public async Task AGrievanceComesBackInScopeAndAnswersAsUnknownOutside()
    {
        var auditor = DefaultCallers.TokenOf(Role.Auditor, DefaultCallers.Auditor);
        var listed = await Host.GraphQLAsync("{ grievances(first: 1) { nodes { referenceNumber globalId } } }", bearer: auditor);
        var globalId = listed.Get("grievances.nodes.0.globalId").GetValue<string>();
        Assert.Equal(_reference, listed.Get("grievances.nodes.0.referenceNumber").GetValue<string>());

        const string Refetch = "query($id: ID!) { node(id: $id) { globalId ... on Grievance { referenceNumber status timeline { type } } } }";
        var byAuditor = await Host.GraphQLAsync(Refetch, new { id = globalId }, auditor);
        Assert.Null(byAuditor.Errors);
        Assert.Equal(_reference, byAuditor.Get("node.referenceNumber").GetValue<string>());
        Assert.Equal(globalId, byAuditor.Get("node.globalId").GetValue<string>());

        var inside = TestTokens.Mint(Role.Partner, "portal-inside", jurisdictions: [_district]);
        var byInside = await Host.GraphQLAsync(Refetch, new { id = globalId }, inside);
        Assert.Null(byInside.Errors);
        Assert.Equal(_reference, byInside.Get("node.referenceNumber").GetValue<string>());

        // Outside the scope: null and UNKNOWN_GRIEVANCE, word for word what a number nobody has answers.
        var outside = TestTokens.Mint(Role.Partner, "portal-outside", jurisdictions: [_otherDistrict]);
        var byOutside = await Host.GraphQLAsync(Refetch, new { id = globalId }, outside);
        Assert.Equal(JsonValueKind(null), JsonValueKind(byOutside.Data?["node"]));
        Assert.Equal("UNKNOWN_GRIEVANCE", byOutside.FirstErrorCode);
        var nobody = Helpline.Grievances.Domain.ReferenceNumber.Create(987_654_321, Host.Clock.GetUtcNow());
        var unknown = await Host.GraphQLAsync(Refetch, new { id = GlobalIds("Grievance", nobody) }, outside);
        Assert.Equal("UNKNOWN_GRIEVANCE", unknown.FirstErrorCode);
        Assert.Equal(WithoutNumber(unknown.Errors![0]!["message"]!.GetValue<string>()), WithoutNumber(byOutside.Errors![0]!["message"]!.GetValue<string>()));

        // The public may not read grievances at all, by global id or otherwise.
        var byPublic = await Host.GraphQLAsync(Refetch, new { id = globalId }, HelplineTestHost.NoToken);
        Assert.Equal("FORBIDDEN", byPublic.FirstErrorCode);
        Assert.Equal(JsonValueKind(null), JsonValueKind(byPublic.Data?["node"]));
    }

    [Fact]
    public async Task NodesAnswersInOrderWithNullForEachRefusal()
    {
        var auditor = DefaultCallers.TokenOf(Role.Auditor, DefaultCallers.Auditor);
        var listed = await Host.GraphQLAsync("{ grievances(first: 1) { nodes { globalId officer { globalId } } } }", bearer: auditor);
        var grievance = listed.Get("grievances.nodes.0.globalId").GetValue<string>();
        var officer = listed.Get("grievances.nodes.0.officer.globalId").GetValue<string>();
        var outside = TestTokens.Mint(Role.Partner, "portal-outside", jurisdictions: [_otherDistrict]);

        var both = await Host.GraphQLAsync(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename globalId } }",
            new { ids = new[] { officer, grievance, GlobalIds("Officer", "nobody") } },
            outside);
        var nodes = both.Data!["nodes"]!.AsArray();
        Assert.Equal(3, nodes.Count);
        Assert.Equal(officer, nodes[0]!["globalId"]!.GetValue<string>());
        Assert.Null(nodes[1]);
        Assert.Null(nodes[2]); // no such officer: null without an error, as officer(id) answers
        var error = Assert.Single(both.Errors!);
        Assert.Equal("UNKNOWN_GRIEVANCE", error!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("[\"nodes\",1]", error["path"]!.ToJsonString());
        Assert.Equal("ids[1]", error["extensions"]!["field"]!.GetValue<string>());

        var tooMany = await Host.GraphQLAsync(
            "query($ids: [ID!]!) { nodes(ids: $ids) { globalId } }",
            new { ids = Enumerable.Repeat(officer, 101).ToArray() },
            HelplineTestHost.NoToken);
        Assert.Equal("INVALID_VALUE", tooMany.FirstErrorCode);
        Assert.Equal("ids", tooMany.FirstErrorField);
    }

    [Theory]
    [InlineData("not a global id")]
    [InlineData("T2ZmaWNlcg")] // "Officer": no key
    [InlineData("U3BhY2VzaGlwOjE")] // "Spaceship:1": no such type
    public async Task AnIdHelplineNeverMadeIsInvalid(string id)
    {
        var answer = await Host.GraphQLAsync("query($id: ID!) { node(id: $id) { globalId } }", new { id }, HelplineTestHost.NoToken);
        Assert.Equal("INVALID_VALUE", answer.FirstErrorCode);
        Assert.Equal("id", answer.FirstErrorField);
    }

    private static string GlobalIds(string type, string key) => Helpline.Platform.Modules.GlobalIds.Of(type, key);

    private static string WithoutNumber(string message) => new(message.Where(ch => !char.IsAsciiDigit(ch) && ch != ' ').ToArray());

    private static string JsonValueKind(JsonNode? node) => node is null ? "null" : node.GetValueKind().ToString();
}
