using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using GraphQLParser.Exceptions;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.Properties;

/// <summary>
/// Issue 8: generated GraphQL documents and inputs thrown at the running service. For each of a fixed number of
/// cases: no 5xx, every error carries <c>extensions.code</c>, and a refused request leaves stored state as it was
/// (row counts of every table a mutation writes, and the projection outbox).
/// </summary>
public sealed class HostileRequestPropertyTests : HostedTest
{
    private const int Cases = 200;

    // Text a hostile caller sends: empty, blank, invisible, control and bidi characters, lone surrogates (as JSON
    // escapes), Devanagari, emoji, very long, and ordinary.
    private static readonly Gen<string> HostileText = Gen.OneOf(
        Gen.OneOf("", " ", "\u200b\u200c", "\u202eevil", "a\u0085b", "\\u0000", "\\ud800", "\\udfff x", "श्री क्षितिज", "👍🏽👍🏽", "'; drop table x; --", "{{}}", "\\\"", "a\\nb"),
        Gen.String[Gen.Char['\u0000', '\u00ff'], 0, 30].Select(Escape),
        Gen.String[Gen.Char["ab c\u0915\u094d\u0937\u093f\u200d\u2066"], 0, 120].Select(Escape),
        Gen.Int[90, 5000].Select(n => new string('x', n)));

    private static readonly Gen<string> Mobile = Gen.OneOf(
        Gen.OneOf("9415012345", "+0 9415012345", "+9415012345", "919415012345", "", "94150", "\\u0000"),
        Gen.String[Gen.Char["0123456789+- ()"], 0, 16]);

    private static readonly Gen<string> Id = Gen.OneOf(
        Gen.OneOf("block:1330", "district:162", "rd-pmayg-not-sanctioned", "no-such", "", "city:boston311", "\\ud800"),
        Gen.String[Gen.Char["abc:-_.9 /@"], 0, 12]);

    private static readonly Gen<string> Reference = Gen.OneOf(
        Gen.OneOf("260000000014", "2600 0000 0014", "000000000000", "", "x", "99999999999999999999"),
        Gen.String[Gen.Char["0123456789 -"], 0, 16]);

    // Document and variables, as raw JSON text so that escapes a serializer would refuse reach the server.
    private static readonly Gen<string> Request = Gen.OneOf(
        from name in HostileText
        from mobile in Mobile
        from description in HostileText
        from jurisdiction in Id
        from category in Id
        from kind in Gen.OneOf("COMPLAINT", "INFORMATION", "NOPE")
        select Body(
            "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber } }",
            $$$"""{"i":{"clientRequestId":"prop-x","kind":"{{{kind}}}","channel":"PHONE","agentId":"agent-1","complainant":{"name":"{{{name}}}","mobile":"{{{mobile}}}"},"jurisdictionId":"{{{jurisdiction}}}","categoryId":"{{{category}}}","description":"{{{description}}}"}}"""),
        from id in Gen.OneOf("late-shift", "Late Shift", "", "x")
        from name in HostileText
        from opening in Gen.OneOf("09:30", "25:00", "9am", "")
        from closing in Gen.OneOf("17:30", "24:00", "00:00", "08:00")
        select Body(
            "mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { id } }",
            $$$"""{"i":{"id":"{{{id}}}","name":"{{{name}}}","workingDays":["MONDAY"],"opening":"{{{opening}}}","closing":"{{{closing}}}"}}"""),
        from name in HostileText
        from date in Gen.OneOf("2026-12-24", "2026-02-30", "1999-01-01", "x")
        select Body(
            "mutation($c: String!) { importHolidays(format: CSV, jurisdictionId: \"district:162\", content: $c) { added } }",
            $$$"""{"c":"{{{date}}},{{{name}}}"}"""),
        from reference in Reference
        from officer in Id
        from text in HostileText
        from op in Gen.OneOf("resolveGrievance(referenceNumber: $r, officerId: $o, actionTakenReport: $t)", "rejectGrievance(referenceNumber: $r, officerId: $o, reason: $t)", "forwardGrievance(referenceNumber: $r, officerId: $o, positionId: $o, reason: $t)")
        select Body(
            $"mutation($r: String!, $o: String!, $t: String!) {{ {op} {{ status }} }}",
            $$$"""{"r":"{{{reference}}}","o":"{{{officer}}}","t":"{{{text}}}"}"""),
        from reference in Reference
        select Body("query($r: String!) { grievance(referenceNumber: $r) { status } }", $$$"""{"r":"{{{reference}}}"}"""),
        from junk in HostileText
        select Body(junk, "{}"),
        from depth in Gen.Int[1, 40]
        from aliases in Gen.Int[1, 60]
        select Body(
            "{ " + string.Concat(Enumerable.Range(0, aliases).Select(a => $"a{a}: jurisdiction(id: \\\"state:9\\\") {{ " + string.Concat(Enumerable.Repeat("children { ", Math.Min(depth, 4))) + "id" + string.Concat(Enumerable.Repeat(" }", Math.Min(depth, 4))) + " } ")) + "}",
            "{}"));

    [Fact]
    public async Task Generated_requests_never_get_a_5xx_every_error_has_a_code_and_refusals_change_nothing()
    {
        var cases = new List<string>(Cases);
        Request.Sample(cases.Add, iter: Cases, threads: 1);
        Assert.Equal(Cases, cases.Count);

        foreach (var body in cases)
        {
            var before = await StateAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/graphql", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (TokenFor(body) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body}: {text}");

            var answer = JsonNode.Parse(text)!.AsObject();
            var errors = answer["errors"]?.AsArray() ?? [];
            Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e!["extensions"]?["code"]?.GetValue<string>()), $"error without a code for {body}: {text}"));

            var refused = errors.Count > 0 && (answer["data"] is null || answer["data"]!.AsObject().All(p => p.Value is null));
            if (refused)
            {
                Assert.True(before == await StateAsync(), $"a refused request changed stored state: {body}: {text}");
            }
        }
    }

    // The token of the one who would send the request (DefaultCallers), so that hostile input reaches the resolvers
    // rather than stopping at a missing token; a body or document that does not parse goes without one.
    private static string? TokenFor(string body)
    {
        try
        {
            var json = JsonNode.Parse(body)!.AsObject();
            return DefaultCallers.TokenFor(json["query"]!.GetValue<string>(), json["variables"]);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or GraphQLParserException)
        {
            return null;
        }
    }

    private static string Body(string query, string variables) =>
        $$"""{"query":"{{query.Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\\\\\"", "\\\"", StringComparison.Ordinal)}}","variables":{{variables}}}""";

    // Characters JSON needs escaped, escaped; the rest as they are (controls become \u escapes).
    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                < ' ' or '\u007f' => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    private async Task<string> StateAsync()
    {
        await using var conn = new NpgsqlConnection(Db.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(
            """
            select concat_ws(',',
              (select count(*) from grievances.grievance), (select count(*) from grievances.timeline_event),
              (select count(*) from orleans.grain_state where state_name = 'grievance'), (select count(*) from sla.calendars),
              (select count(*) from sla.holidays), (select count(*) from sla.policy_overrides))
            """,
            conn);
        return (string)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
