using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// The introspection query that GraphiQL, codegen and graphql-inspector send (graphql-js's <c>getIntrospectionQuery()</c>,
/// made by the pinned graphql package of tests/graphql-http-audit) passes every limit of the real schema, for the public.
/// </summary>
public sealed class StandardIntrospectionTests : HostedTest
{
    // The defaults (what inspector and codegen send) and without descriptions (a lighter variant some tools use).
    private static readonly string[] Variants = ["{}", "{descriptions: false}"];

    [Fact]
    public async Task The_introspection_query_of_graphql_js_is_answered_in_full()
    {
        var folder = NodeTool.Folder("tests/graphql-http-audit", "graphql");
        foreach (var options in Variants)
        {
            var (exit, query) = await NodeTool.RunAsync(folder, "-e", $"process.stdout.write(require('graphql').getIntrospectionQuery({options}))");
            Assert.True(exit == 0, query);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
            using var response = await Host.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            Assert.Null(body["errors"]);
            Assert.Contains(body["data"]!["__schema"]!["types"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "Grievance");
        }
    }
}
