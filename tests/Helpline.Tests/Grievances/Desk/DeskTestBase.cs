using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Helpline.Tests.Grievances.Desk;

/// <summary>
/// What the agent desk tests share: a host with UP's limit of 10 complaints per mobile a month (the other tests' hosts
/// set none), whose fake clock starts on 30 November 2026 at 15:30 IST (so that the IST
/// month turns at 18:30 UTC the same day), registrations through the API, and the tokens of the desk's roles.
/// </summary>
public abstract class DeskTestBase() : HostedTest(
    new FakeTimeProvider(Start),
    b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Helpline:Grievances:MonthlyComplaintLimit"] = "10" }))
{
    /// <summary>30 November 2026, 15:30 IST.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    protected const string Block = "block:1330";
    protected const string AgraBlock = "block:803";
    protected const string Category = "rd-pmayg-not-sanctioned";
    protected const string Mobile = "9415012345";

    protected const string Fields = "referenceNumber status officer { id } position { supervisor { holder { id } } } timeline { sequence type actor note }";

    protected static readonly string Agent = DefaultCallers.TokenOf(Role.Agent, "agent-desk");

    private int _next;

    protected string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    protected Task<GraphQLResponse> RegisterAsync(
        string clientRequestId, string mobile = Mobile, string kind = "COMPLAINT", string place = Block, string category = Category) =>
        Host.GraphQLAsync(
            $"mutation($i: RegisterGrievanceInput!) {{ registerGrievance(input: $i) {{ {Fields} }} }}",
            new
            {
                i = new
                {
                    clientRequestId,
                    kind,
                    complainant = new { name = "Sita Devi", mobile },
                    jurisdictionId = place,
                    categoryId = category,
                    description = "The house sanctioned under PMAY-G has not been approved.",
                    channel = "PHONE",
                },
            },
            Agent);

    protected async Task<JsonNode> RegisteredAsync(string? clientRequestId = null, string mobile = Mobile, string kind = "COMPLAINT", string place = Block, string category = Category) =>
        (await RegisterAsync(clientRequestId ?? NextId("desk"), mobile, kind, place, category)).Get("registerGrievance");

    protected Task<GraphQLResponse> MonthAsync(string mobile, string? bearer = null) =>
        Host.GraphQLAsync(
            "query($m: String!) { callerMonth(mobile: $m) { mobile month complaints limit extraAllowed remaining overLimit overrides { supervisorId at reason } } }",
            new { m = mobile },
            bearer ?? Agent);

    protected Task<GraphQLResponse> AllowAsync(string clientRequestId, string mobile, string reason, string bearer) =>
        Host.GraphQLAsync(
            "mutation($i: AllowExtraComplaintInput!) { allowExtraComplaint(input: $i) { complaints extraAllowed remaining overLimit overrides { supervisorId reason } } }",
            new { i = new { clientRequestId, mobile, reason } },
            bearer);

    protected async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
