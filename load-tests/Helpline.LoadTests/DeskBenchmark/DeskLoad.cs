using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helpline.LoadTests.AccessBenchmark;
using Npgsql;

namespace Helpline.LoadTests.DeskBenchmark;

/// <summary>One caller on the line: their mobile, and the place and category the agent has chosen.</summary>
internal sealed record DeskCaller(string Mobile, string JurisdictionId, string CategoryId);

/// <summary>
/// Registers the callers' complaints through registerGrievance, then sends the desk's request (one GraphQL document with
/// the three fields the desk asks for as the caller speaks) and the same reads straight to PostgreSQL.
/// </summary>
internal sealed class DeskLoad(HttpClient http, string agentAuthorization, NpgsqlDataSource db)
{
    public const int ComplaintsPerCaller = 3;

    /// <summary>The desk's request: the caller's last ten, their month against the limit, and the possible duplicates.</summary>
    public const string Document = """
        query Desk($m: String!, $c: String, $j: String) {
          callerHistory(mobile: $m, first: 10) { totalCount nodes { referenceNumber status registeredAt dueAt category { id } } }
          callerMonth(mobile: $m) { month complaints limit remaining overLimit }
          possibleDuplicates(mobile: $m, categoryId: $c, jurisdictionId: $j) { reason grievance { referenceNumber status dueAt registeredAt } }
        }
        """;

    private const string Register = "mutation R($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber } }";

    /// <summary>Callers whose mobiles start with 6 (the seed's all start with 9), each with 3 complaints at one of the scopes.</summary>
    public async Task<IReadOnlyList<DeskCaller>> RegisterCallersAsync(IReadOnlyList<ScopeTarget> scopes, int count)
    {
        var callers = Enumerable.Range(0, count)
            .Select(i => new DeskCaller("6" + i.ToString("D9", CultureInfo.InvariantCulture), scopes[i % scopes.Count].BlockId, scopes[i % scopes.Count].CategoryId))
            .ToList();
        var run = Guid.NewGuid().ToString("N")[..8];
        await Parallel.ForEachAsync(Enumerable.Range(0, count * ComplaintsPerCaller), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, ct) =>
        {
            var c = callers[n % count];
            var input = new
            {
                clientRequestId = $"desk-{run}-{n:D6}",
                kind = "COMPLAINT",
                channel = "PHONE",
                complainant = new { name = "Desk Bench Caller", mobile = c.Mobile },
                jurisdictionId = c.JurisdictionId,
                categoryId = c.CategoryId,
                description = "Desk benchmark complaint " + n.ToString(CultureInfo.InvariantCulture),
            };
            var (_, body) = await PostAsync(Register, new { i = input }, ct);
            if (JsonNode.Parse(body)?["data"]?["registerGrievance"]?["referenceNumber"] is null)
            {
                throw new InvalidOperationException($"registerGrievance failed: {AccessBenchSeeder.Cut(body)}");
            }
        });
        return callers;
    }

    /// <summary>The desk's request for one caller: its latency, and a problem when the answer is not what was registered.</summary>
    public async Task<(TimeSpan Latency, string? Problem)> DeskAsync(DeskCaller c, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var (status, body) = await PostAsync(Document, new { m = c.Mobile, c = c.CategoryId, j = c.JurisdictionId }, ct);
        var latency = sw.Elapsed;
        var json = JsonNode.Parse(body);
        var data = json?["data"];
        var ok = status == System.Net.HttpStatusCode.OK && json?["errors"] is null
            && data?["callerHistory"]?["totalCount"]?.GetValue<int>() == ComplaintsPerCaller
            && data["callerMonth"]?["complaints"]?.GetValue<int>() == ComplaintsPerCaller
            && data["possibleDuplicates"]?.AsArray().Count(d => d?["reason"]?.GetValue<string>() == "SAME_CALLER") == ComplaintsPerCaller;
        return (latency, ok ? null : $"{c.Mobile}: HTTP {(int)status} {AccessBenchSeeder.Cut(body)}");
    }

    /// <summary>The same reads as the service makes, as plain statements in one round trip (no GraphQL, no grains).</summary>
    public async Task<TimeSpan> ReferenceAsync(DeskCaller c, DateTimeOffset monthFrom, DateTimeOffset monthBefore, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        void Add(string sql, params object[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var v in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = v });
            }

            batch.BatchCommands.Add(command);
        }

        Add("select reference_number, kind, status, category_id, department_id, jurisdiction_id, position_id, officer_id, level, complainant_name, registered_at, due_at, breached, breached_at_top, closed_at, on_hold_since, last_changed_at from grievances.grievance where complainant_mobile = $1 order by registered_at desc, reference_number desc limit 11", c.Mobile);
        Add("select count(*) from grievances.grievance where complainant_mobile = $1", c.Mobile);
        Add("select count(*) from grievances.grievance where complainant_mobile = $1 and kind = 'Complaint' and registered_at >= $2 and registered_at < $3", c.Mobile, monthFrom.ToUniversalTime(), monthBefore.ToUniversalTime());
        Add("select supervisor_id, at, reason from grievances.complaint_limit_override where mobile = $1 and month = $2", c.Mobile, monthFrom.ToOffset(new TimeSpan(5, 30, 0)).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        Add("""
            (select reference_number, registered_at from grievances.grievance where complainant_mobile = $1 and status = 'Open' order by registered_at desc, reference_number desc limit 10)
            union all
            (select reference_number, registered_at from grievances.grievance where category_id = $2 and jurisdiction_id = $3 and status = 'Open' order by registered_at desc, reference_number desc limit 10)
            """, c.Mobile, c.CategoryId, c.JurisdictionId);
        var sw = Stopwatch.StartNew();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                while (await reader.ReadAsync(ct))
                {
                }
            }
            while (await reader.NextResultAsync(ct));
        }

        return sw.Elapsed;
    }

    private async Task<(System.Net.HttpStatusCode Status, string Body)> PostAsync(string query, object variables, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(agentAuthorization);
        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
