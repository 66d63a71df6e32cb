namespace Helpline.Tests.GraphQLHttp;

/// <summary>GET requests (queries only) and the methods the endpoint refuses.</summary>
public sealed class GraphQLHttpGetTests
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";

    [Fact]
    public async Task Get_query_is_executed()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.GetAsync("{ hello }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType); // no Accept: application/json, as for a legacy client
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_takes_variables_and_extensions_as_json_and_the_operation_name()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.GetAsync(
        [
            new("query", "query A { hello } query B($name: String, $value: Int!) { hello(name: $name) echoInt(value: $value) }"),
            new("operationName", "B"),
            new("variables", "{\"name\":\"Ravi\",\"value\":5}"),
            new("extensions", "{\"some\":\"value\"}"),
        ], accept: Json);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.Equal("Hello, Ravi!", response.Data!["hello"]!.GetValue<string>());
        Assert.Equal(5, response.Data!["echoInt"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_treats_empty_optional_parameters_as_absent()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.GetAsync([new("query", "{ hello }"), new("operationName", ""), new("variables", ""), new("extensions", "")]);

        Assert.Equal(200, response.StatusCode);
        Assert.False(response.Json.ContainsKey("errors"));
    }

    [Fact]
    public async Task Get_mutation_gets_405_with_allow_post_and_does_not_run()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        foreach (var accept in new[] { GraphQLResponseJson, Json })
        {
            var response = await host.GetAsync("mutation { increment(by: 1) }", accept);

            Assert.Equal(405, response.StatusCode);
            Assert.Equal(["POST"], response.Allow);
            Assert.Equal("METHOD_NOT_ALLOWED", response.ErrorCode());
            Assert.False(response.HasData);
            response.AssertErrorsWellFormed();
        }

        var named = await host.GetAsync([new("query", "query Q { hello } mutation M { increment(by: 1) }"), new("operationName", "M")]);
        Assert.Equal(405, named.StatusCode);

        Assert.Equal(0, host.Counter.Value);
    }

    [Fact]
    public async Task Get_may_select_the_query_from_a_document_that_also_has_a_mutation()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.GetAsync([new("query", "query Q { hello } mutation M { increment(by: 1) }"), new("operationName", "Q")]);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        Assert.Equal(0, host.Counter.Value);
    }

    [Fact]
    public async Task Get_without_a_query_gets_400()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        foreach (var parameters in new KeyValuePair<string, string>[][] { [], [new("query", "")], [new("operationName", "Q")] })
        {
            var response = await host.GetAsync(parameters);

            Assert.Equal(400, response.StatusCode);
            Assert.Equal("BAD_REQUEST", response.ErrorCode());
        }
    }

    [Fact]
    public async Task Get_with_bad_variables_or_extensions_gets_400()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        foreach (var parameter in new[] { "variables", "extensions" })
        {
            foreach (var value in new[] { "{not json", "[1,2]", "\"text\"", "7" })
            {
                var response = await host.GetAsync([new("query", "{ hello }"), new(parameter, value)]);

                Assert.Equal(400, response.StatusCode);
                Assert.Equal("BAD_REQUEST", response.ErrorCode());
                Assert.Contains($"'{parameter}'", response.Error()["message"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Get_with_a_repeated_parameter_gets_400()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.GetAsync([new("query", "{ hello }"), new("query", "{ echoInt(value: 1) }")]);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Get_parse_and_validation_errors_follow_the_media_type_rules()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var parse = await host.GetAsync("{", GraphQLResponseJson);
        Assert.Equal(400, parse.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", parse.ErrorCode());

        var validation = await host.GetAsync("{ nope }", Json);
        Assert.Equal(200, validation.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", validation.ErrorCode());
    }

    [Fact]
    public async Task Get_can_be_switched_off()
    {
        await using var host = await GraphQLTestHost.StartAsync(options => options.EnableGet = false);

        var response = await host.GetAsync("{ hello }");

        Assert.Equal(405, response.StatusCode);
        Assert.Equal(["POST"], response.Allow);
        Assert.Equal("METHOD_NOT_ALLOWED", response.ErrorCode());
    }

    [Fact]
    public async Task Other_methods_get_405_with_allow_get_and_post()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var content = new StringContent("{\"query\":\"{ hello }\"}", System.Text.Encoding.UTF8, "application/json");
            var response = await host.SendAsync(method, "/graphql", content);

            Assert.Equal(405, response.StatusCode);
            Assert.Equal(["GET", "POST"], response.Allow);
            Assert.Equal("METHOD_NOT_ALLOWED", response.ErrorCode());
            response.AssertErrorsWellFormed();
        }
    }
}
