using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helpline.Access.Tokens;
using Helpline.Platform.Access;
using Npgsql;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>A district and department with a block seat in it and a category that seat resolves.</summary>
internal sealed record ScopeTarget(string DistrictId, string DepartmentId, string BlockId, string CategoryId);

/// <summary>A registered grievance, the partner token whose scope holds it, and the benchmark's request for it.</summary>
internal sealed record SeededGrievance(string ReferenceNumber, ScopeTarget Scope, string PartnerAuthorization, byte[] Body);

/// <summary>
/// Chooses a few (district, department) scopes, mints the tokens (an agent's, and one partner token per scope limited
/// to that district and department) and registers grievances through <c>registerGrievance</c> with the agent token.
/// </summary>
internal sealed class AccessBenchSeeder(HttpClient http, string privateJwk)
{
    /// <summary>The benchmark's query: the grievance with what a partner portal shows of it.</summary>
    public const string Query =
        "query Read($ref: String!) { grievance(referenceNumber: $ref) { referenceNumber status complainant { name mobile } " +
        "department { id } jurisdiction { id } level dueAt timeline { sequence type at } } }";

    public const string ComplainantName = "Access Bench Caller";

    private const string Register =
        "mutation Register($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber } }";

    private const string AgentId = "access-bench-agent";

    /// <summary>Up to <paramref name="count"/> scopes in different districts, each with a block seat and a category it resolves.</summary>
    public static async Task<IReadOnlyList<ScopeTarget>> ScopesAsync(string connectionString, int count)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            select * from (
              select distinct on (d.id) d.id as district, p.department_id, p.jurisdiction_id, min(c.id)
              from officers.position p
              join officers.officer o on o.position_id = p.id
              join jurisdictions.jurisdiction j on j.id = p.jurisdiction_id and j.kind = 'Block'
              join jurisdictions.jurisdiction d on d.id = any(j.path) and d.kind = 'District'
              join catalogue.categories c on c.department_id = p.department_id and c.resolution_level = 'Block' and c.retired_at is null
              group by d.id, p.department_id, p.jurisdiction_id
              order by d.id, md5(p.department_id || p.jurisdiction_id)) s
            order by md5(s.district)
            limit $1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        var all = new List<ScopeTarget>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                all.Add(new ScopeTarget(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        return all;
    }

    public static string Mint(string privateJwk, string subject, Role role, IReadOnlyList<string>? departments, IReadOnlyList<string>? jurisdictions)
    {
        var now = DateTimeOffset.UtcNow;
        return AccessTokens.Mint(privateJwk, new TokenClaims(subject, role, departments, jurisdictions, null, AccessTokens.NewTokenId(), now.AddMinutes(-1), now.AddHours(2)));
    }

    public static string PartnerToken(string privateJwk, ScopeTarget scope) =>
        Mint(privateJwk, "partner-" + scope.DistrictId, Role.Partner, [scope.DepartmentId], [scope.DistrictId]);

    /// <summary>Registers <paramref name="count"/> grievances round-robin over <paramref name="scopes"/>, 8 at a time.</summary>
    public async Task<IReadOnlyList<SeededGrievance>> RegisterAsync(IReadOnlyList<ScopeTarget> scopes, int count)
    {
        var agent = "Bearer " + Mint(privateJwk, AgentId, Role.Agent, null, null);
        var partners = scopes.ToDictionary(s => s, s => "Bearer " + PartnerToken(privateJwk, s));
        var run = Guid.NewGuid().ToString("N")[..8];
        var seeded = new SeededGrievance?[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var scope = scopes[i % scopes.Count];
            var reference = await RegisterOneAsync(agent, scope, $"ab-{run}-{i:D6}", i, ct);
            seeded[i] = new SeededGrievance(reference, scope, partners[scope], Body(reference));
        });
        return [.. seeded.Select(s => s!)];
    }

    /// <summary>The request body of the benchmark's query for one grievance, serialized once.</summary>
    public static byte[] Body(string referenceNumber) =>
        JsonSerializer.SerializeToUtf8Bytes(new { query = Query, variables = new { @ref = referenceNumber } });

    private async Task<string> RegisterOneAsync(string agent, ScopeTarget scope, string clientRequestId, int i, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new
        {
            query = Register,
            variables = new
            {
                input = new
                {
                    clientRequestId,
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    agentId = AgentId,
                    complainant = new { name = ComplainantName, mobile = "94150" + (i % 100_000).ToString("D5", CultureInfo.InvariantCulture) },
                    jurisdictionId = scope.BlockId,
                    categoryId = scope.CategoryId,
                    description = "Access benchmark grievance " + clientRequestId,
                },
            },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(agent);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var reference = (JsonNode.Parse(text)?["data"]?["registerGrievance"]?["referenceNumber"])?.GetValue<string>();
        return reference ?? throw new InvalidOperationException($"registerGrievance {clientRequestId} at {scope.BlockId} ({scope.CategoryId}) failed: HTTP {(int)response.StatusCode} {Cut(text)}");
    }

    internal static string Cut(string text) => text.Length <= 600 ? text : text[..600] + "...";
}
