using Helpline.GraphQL.Http;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>What execution gets from the HTTP request, the depth limit, and the body size limit.</summary>
public sealed class GraphQLHttpExecutionTests
{
    // The spec's media type, whose status codes tell a refused document (400) from one that ran (200).
    private const string Spec = "application/graphql-response+json";

    [Fact]
    public async Task Execution_gets_the_request_services_cancellation_and_http_context()
    {
        // Without an execution timeout the request's own token is passed as is; with one it is linked to the timeout's
        // (GraphQLHttpLimitsTests shows a query cancelled by it).
        await using var host = await GraphQLTestHost.StartAsync(o => o.ExecutionTimeout = null);

        var response = await host.PostQueryAsync("{ sameRequestServices cancelledWithRequest requestPath }");

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Data!["sameRequestServices"]!.GetValue<bool>());
        Assert.True(response.Data!["cancelledWithRequest"]!.GetValue<bool>());
        Assert.Equal("/graphql", response.Data!["requestPath"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execution_options_can_be_configured_per_request()
    {
        await using var host = await GraphQLTestHost.StartAsync(options =>
            options.ConfigureExecution = (execution, http) => execution.UserContext["caller"] = http.Request.Headers["X-Caller"].ToString());

        using var content = new StringContent("{\"query\":\"{ userContextValue(key: \\\"caller\\\") }\"}", System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Add("X-Caller", "portal-7");
        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("\"userContextValue\":\"portal-7\"", body);
    }

    [Fact]
    public async Task Documents_deeper_than_the_default_limit_fail_validation()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var within = await host.PostQueryAsync(Nested(GraphQLHttpOptions.DefaultMaxDepth));
        Assert.Equal(200, within.StatusCode);

        var tooDeep = await host.PostQueryAsync(Nested(GraphQLHttpOptions.DefaultMaxDepth + 1), accept: Spec);
        Assert.Equal(400, tooDeep.StatusCode);
        Assert.False(tooDeep.HasData);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", tooDeep.ErrorCode());
    }

    [Fact]
    public async Task Depth_and_complexity_limits_are_configurable()
    {
        await using var host = await GraphQLTestHost.StartAsync(options => options.Complexity = new() { MaxDepth = 3, MaxComplexity = 4 });

        Assert.Equal(200, (await host.PostQueryAsync(Nested(3))).StatusCode);
        Assert.Equal(400, (await host.PostQueryAsync(Nested(4), accept: Spec)).StatusCode);
        var tooComplex = await host.PostQueryAsync("{ a: hello b: hello c: hello d: hello e: hello }", accept: Spec);
        Assert.Equal(400, tooComplex.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", tooComplex.ErrorCode());
    }

    [Fact]
    public async Task Body_over_one_mebibyte_gets_413()
    {
        await using var host = await GraphQLTestHost.StartAsync();
        var padding = new string(' ', (int)GraphQLHttpOptions.DefaultMaxRequestBodyBytes);

        var response = await host.PostAsync("{\"query\":\"{ hello }\"}" + padding);

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", response.ErrorCode());
        Assert.Contains("1048576 bytes", response.Error()["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_limit_applies_without_a_content_length()
    {
        await using var host = await GraphQLTestHost.StartAsync(options => options.MaxRequestBodyBytes = 100);
        var body = "{\"query\":\"{ hello }\"}" + new string(' ', 200);

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        using var content = new UnknownLengthContent(stream);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var response = await host.SendAsync(HttpMethod.Post, "/graphql", content);

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", response.ErrorCode());

        var small = await host.PostAsync("{\"query\":\"{ hello }\"}");
        Assert.Equal(200, small.StatusCode);
    }

    private static string Nested(int depth)
    {
        // GraphQL.NET counts every nested field, leaves included: "{ node { value } }" has depth 2.
        var selection = "value";
        for (var level = 2; level < depth; level++)
            selection = $"child {{ {selection} }}";
        return $"{{ node {{ {selection} }} }}";
    }

    /// <summary>Content whose length is not known in advance, so it is sent without a Content-Length header.</summary>
    private sealed class UnknownLengthContent(Stream stream) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream target, System.Net.TransportContext? context)
            => stream.CopyToAsync(target);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
