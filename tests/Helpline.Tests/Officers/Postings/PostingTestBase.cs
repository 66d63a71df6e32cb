using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Officers.Postings;

/// <summary>
/// The real host over a fresh database: a block-level category and a block of the shipped tree, so a registration
/// gives a seat and its holder to change; helpers for the admin mutations and for reading the posting events.
/// </summary>
public abstract class PostingTestBase : HostedTest
{
    private int _requests;

    protected string BlockId { get; private set; } = null!;

    protected string BlockCategory { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var cats = await Host.GraphQLAsync("{ categories { id resolutionLevel } }");
        BlockCategory = cats.Get("categories").AsArray().First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var tree = await Host.GraphQLAsync("{ jurisdictions { children { children { id kind children { id kind } } } } }");
        BlockId = tree.Get("jurisdictions.0.children.0.children.0")["children"]!.AsArray()
            .First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    /// <summary>Registers a grievance of the block category in the block; the raw response.</summary>
    protected Task<GraphQLResponse> RegisterAsync() => Host.GraphQLAsync(
        "mutation($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber officer { id } position { id supervisor { id holder { id } } } } }",
        new
        {
            input = new
            {
                clientRequestId = $"posting-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}",
                kind = "COMPLAINT",
                complainant = new { name = "Ramesh Kumar", mobile = "9876543210" },
                jurisdictionId = BlockId,
                categoryId = BlockCategory,
                description = "Hand pump in the village has not worked for three weeks.",
                channel = "PHONE",
                agentId = "agent-17",
            },
        });

    /// <summary>The L1 seat of the block category in the block, its holder, the seat above and that seat's holder.</summary>
    protected async Task<(string Seat, string Holder, string Upper, string UpperHolder)> SeatsAsync()
    {
        var r = (await RegisterAsync()).Get("registerGrievance");
        return (
            r["position"]!["id"]!.GetValue<string>(),
            r["officer"]!["id"]!.GetValue<string>(),
            r["position"]!["supervisor"]!["id"]!.GetValue<string>(),
            r["position"]!["supervisor"]!["holder"]!["id"]!.GetValue<string>());
    }

    protected async Task<string> AddOfficerAsync(string requestId, string name = "Asha Verma", string mobile = "9415012345") =>
        (await Host.GraphQLAsync(
            "mutation($i: AddOfficerInput!) { addOfficer(input: $i) { id } }",
            new { i = new { clientRequestId = requestId, name, mobile } })).Get("addOfficer.id").GetValue<string>();

    protected Task<GraphQLResponse> PostAsync(string officerId, string positionId, bool relieve = false, string? note = null) => Host.GraphQLAsync(
        "mutation($i: PostOfficerInput!) { postOfficer(input: $i) { id positionId position { id } } }",
        new { i = new { officerId, positionId, relieveHolder = relieve, note } });

    protected Task<GraphQLResponse> EndPostingAsync(string officerId, string reason = "TRANSFER") => Host.GraphQLAsync(
        "mutation($i: EndPostingInput!) { endPosting(input: $i) { id positionId } }", new { i = new { officerId, reason, note = "order" } });

    protected Task<GraphQLResponse> RecordLeaveAsync(string officerId, DateTimeOffset from, DateTimeOffset to, string chargeOfficerId, bool handOverOpen = false) =>
        Host.GraphQLAsync(
            "mutation($i: RecordLeaveInput!) { recordLeave(input: $i) { id status officerId chargeOfficerId handOverOpen } }",
            new { i = new { officerId, from, to, chargeOfficerId, handOverOpen, note = "medical leave" } });

    protected Task<GraphQLResponse> EndLeaveAsync(string leaveId) => Host.GraphQLAsync(
        "mutation($i: EndLeaveInput!) { endLeave(input: $i) { id status endedAt } }", new { i = new { leaveId, note = "back early" } });

    /// <summary>Who acts for the seat now (null when nobody), and who is posted there.</summary>
    protected async Task<(string? Holder, string? Posted)> HolderOfAsync(string positionId)
    {
        var p = (await Host.GraphQLAsync("query($id: String!) { position(id: $id) { holder { id } postedHolder { id } } }", new { id = positionId })).Get("position");
        return (p["holder"]?["id"]?.GetValue<string>(), p["postedHolder"]?["id"]?.GetValue<string>());
    }

    /// <summary>The posting events of a seat, in order (their JSON payloads).</summary>
    protected async Task<List<JsonObject>> EventsOfAsync(string positionId)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("select payload::text from events.event_log where stream = 'position' and stream_key = $1 order by stream_seq", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = positionId });
        var events = new List<JsonObject>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            events.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        }

        return events;
    }

    protected static (string? From, string? To, string Reason, bool Move, int Sequence) Summary(JsonObject e) => (
        e["fromOfficerId"]?.GetValue<string>(),
        e["toOfficerId"]?.GetValue<string>(),
        e["reason"]!.GetValue<string>(),
        e["moveOpenGrievances"]!.GetValue<bool>(),
        e["sequence"]!.GetValue<int>());

    protected async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync(Ct))!;
    }
}
