using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Workload;

/// <summary>
/// A block seat of Rural Development made a pool through the administrators' GraphQL, with officers added and posted
/// to it, and registrations at that block: what the pool and rebalancing tests stand on.
/// </summary>
internal sealed class PoolWorld(HelplineTestHost host)
{
    public const string Department = "rural-development";
    public const string District = "district:162";
    public const string Supervisor = Department + "@" + District;

    public string Category { get; private set; } = null!;

    public string Block { get; private set; } = null!;

    public string OtherBlock { get; private set; } = null!;

    public string Seat => $"{Department}@{Block}";

    public async Task InitializeAsync()
    {
        var cats = (await host.GraphQLAsync($"{{ categories(departmentId: \"{Department}\") {{ id resolutionLevel slaDays }} }}")).Get("categories").AsArray();
        Category = cats.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK" && c["slaDays"]![0]!.GetValue<int>() == 7)!["id"]!.GetValue<string>();
        var blocks = (await host.GraphQLAsync($"{{ jurisdiction(id: \"{District}\") {{ children {{ id kind }} }} }}")).Get("jurisdiction.children").AsArray()
            .Where(c => c!["kind"]!.GetValue<string>() == "BLOCK").Select(c => c!["id"]!.GetValue<string>()).ToList();
        (Block, OtherBlock) = (blocks[0], blocks[1]);
    }

    /// <summary>The officer acting for a seat now.</summary>
    public async Task<string> HolderAsync(string positionId) =>
        (await host.GraphQLAsync($"{{ position(id: \"{positionId}\") {{ holder {{ id }} }} }}", bearer: Admin)).Get("position.holder.id").GetValue<string>();

    public static string Admin => DefaultCallers.TokenOf(Role.Administrator, "admin-pools");

    /// <summary>Makes the block's seat a pool and posts <paramref name="more"/> new officers to it; the members' ids, sorted.</summary>
    public async Task<IReadOnlyList<string>> MakePoolAsync(int more, int capacity = 20)
    {
        Assert.Null((await host.GraphQLAsync($"mutation {{ setPool(positionId: \"{Seat}\", capacity: {capacity}) {{ id }} }}", bearer: Admin)).Errors);
        var members = new List<string> { await HolderAsync(Seat) };
        for (var i = 0; i < more; i++)
        {
            var added = await host.GraphQLAsync(
                "mutation($i: AddOfficerInput!) { addOfficer(input: $i) { id } }",
                new { i = new { clientRequestId = "pool-" + Guid.NewGuid().ToString("N"), name = $"Naib Tehsildar {i + 1}", mobile = $"94500100{i:D2}" } },
                bearer: Admin);
            var id = added.Get("addOfficer.id").GetValue<string>();
            var posted = await host.GraphQLAsync("mutation($o: String!, $p: String!) { postOfficer(input: { officerId: $o, positionId: $p }) { id } }", new { o = id, p = Seat }, bearer: Admin);
            Assert.Null(posted.Errors);
            members.Add(id);
        }

        members.Sort(StringComparer.Ordinal);
        return members;
    }

    /// <summary>Registers a complaint at <paramref name="block"/> (the pool's block by default): its reference number and officer.</summary>
    public async Task<(string Reference, string Officer)> RegisterAsync(string? block = null)
    {
        var requestId = "pool-g-" + Guid.NewGuid().ToString("N");
        var r = await host.GraphQLAsync(Complaints.Register, Complaints.Input(requestId, block ?? Block, Category));
        var reference = r.Get("registerGrievance.referenceNumber").GetValue<string>();
        GrainKeys[reference] = Helpline.Grievances.GrievanceKeys.ForRequest(requestId);
        return (reference, r.Get("registerGrievance.officer.id").GetValue<string>());
    }

    /// <summary>The grain key of each grievance registered here, by reference number.</summary>
    public Dictionary<string, string> GrainKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The grievance's timeline as (type, note) pairs, and its officer and due date.</summary>
    public async Task<(IReadOnlyList<(string Type, string? Note)> Timeline, string Officer, DateTimeOffset DueAt)> ReadAsync(string reference)
    {
        var g = (await host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { officer { id } dueAt timeline { type note } } }", new { r = reference }, bearer: Admin)).Get("grievance");
        return (
            [.. g["timeline"]!.AsArray().Select(t => (t!["type"]!.GetValue<string>(), t["note"]?.GetValue<string>()))],
            g["officer"]!["id"]!.GetValue<string>(),
            g["dueAt"]!.GetValue<DateTimeOffset>());
    }

    /// <summary>Open grievances the officer holds, from their workload.</summary>
    public async Task<int> OpenAsync(string officerId) =>
        (await host.GraphQLAsync($"{{ officer(id: \"{officerId}\") {{ workload {{ open }} }} }}", bearer: Admin)).Get("officer.workload.open").GetValue<int>();
}
