namespace Helpline.Tests.GraphQLHttp;

/// <summary>POST requests: well-formedness of the JSON body, and the status codes for parse and validation failures.</summary>
public sealed class GraphQLHttpPostTests(GraphQLHttpFixture fixture) : IClassFixture<GraphQLHttpFixture>
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";

    private GraphQLTestHost Host => fixture.Host;

    [Fact]
    public async Task Malformed_json_gets_400_bad_request_with_either_accept()
    {
        foreach (var accept in new[] { GraphQLResponseJson, Json, null })
        {
            var response = await Host.PostAsync("{ \"not a JSON", accept);

            Assert.Equal(400, response.StatusCode);
            Assert.Equal(Json, response.MediaType);
            Assert.Equal("BAD_REQUEST", response.ErrorCode());
            Assert.False(response.HasData);
            response.AssertErrorsWellFormed();
        }
    }

    [Fact]
    public async Task Body_that_is_not_valid_utf8_gets_400()
    {
        byte[] body = [.. "{\"query\":\"{ hello(name: \\\""u8, 0xC3, 0x28, 0xFF, .. "\\\") }\"}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        var response = await Host.SendAsync(HttpMethod.Post, "/graphql", content);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Empty_body_gets_400()
    {
        var response = await Host.PostAsync("");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
        Assert.Contains("empty", response.Error()["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_that_is_not_an_object_gets_400()
    {
        foreach (var body in new[] { "[]", "\"{ hello }\"", "42", "null", "[{\"query\":\"{ hello }\"}]" })
        {
            var response = await Host.PostAsync(body);

            Assert.Equal(400, response.StatusCode);
            Assert.Equal("BAD_REQUEST", response.ErrorCode());
        }
    }

    [Fact]
    public async Task Missing_or_null_query_gets_400_with_either_accept()
    {
        foreach (var accept in new[] { GraphQLResponseJson, Json })
        {
            foreach (var body in new[] { "{}", "{\"qeury\":\"{ hello }\"}", "{\"query\":null}" })
            {
                var response = await Host.PostAsync(body, accept);

                Assert.Equal(400, response.StatusCode);
                Assert.Equal("BAD_REQUEST", response.ErrorCode());
                Assert.Contains("'query'", response.Error()["message"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Non_string_query_gets_400()
    {
        foreach (var query in new[] { "{\"obj\":\"ect\"}", "0", "false", "[\"array\"]" })
        {
            var response = await Host.PostAsync($"{{\"query\":{query}}}");

            Assert.Equal(400, response.StatusCode);
            Assert.Equal("BAD_REQUEST", response.ErrorCode());
            Assert.Contains("must be a string", response.Error()["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Non_string_operation_name_gets_400()
    {
        foreach (var operationName in new[] { "{\"obj\":\"ect\"}", "0", "false", "[\"array\"]" })
        {
            var response = await Host.PostAsync($"{{\"query\":\"{{ hello }}\",\"operationName\":{operationName}}}");

            Assert.Equal(400, response.StatusCode);
            Assert.Equal("BAD_REQUEST", response.ErrorCode());
        }
    }

    [Fact]
    public async Task Non_object_variables_or_extensions_get_400()
    {
        foreach (var parameter in new[] { "variables", "extensions" })
        {
            foreach (var value in new[] { "\"string\"", "0", "false", "[\"array\"]" })
            {
                var response = await Host.PostAsync($"{{\"query\":\"{{ hello }}\",\"{parameter}\":{value}}}");

                Assert.Equal(400, response.StatusCode);
                Assert.Equal("BAD_REQUEST", response.ErrorCode());
                Assert.Contains($"'{parameter}'", response.Error()["message"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Null_optional_parameters_are_the_same_as_absent_ones()
    {
        foreach (var accept in new[] { GraphQLResponseJson, Json })
        {
            var response = await Host.PostAsync("{\"query\":\"{ hello }\",\"variables\":null,\"operationName\":null,\"extensions\":null}", accept);

            Assert.Equal(200, response.StatusCode);
            Assert.False(response.Json.ContainsKey("errors"));
        }
    }

    [Fact]
    public async Task Map_extensions_and_unknown_properties_are_accepted()
    {
        var response = await Host.PostAsync("{\"query\":\"{ hello }\",\"extensions\":{\"some\":\"value\"},\"somethingElse\":[1,2]}");

        Assert.Equal(200, response.StatusCode);
        Assert.False(response.Json.ContainsKey("errors"));
    }

    [Fact]
    public async Task Duplicate_properties_get_400()
    {
        var response = await Host.PostAsync("{\"query\":\"{ hello }\",\"query\":\"mutation { increment(by: 1) }\"}");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Variables_are_passed_to_the_operation()
    {
        var response = await Host.PostQueryAsync("query Greet($name: String, $value: Int!) { hello(name: $name) echoInt(value: $value) }",
            new { name = "Asha", value = 42 });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, Asha!", response.Data!["hello"]!.GetValue<string>());
        Assert.Equal(42, response.Data!["echoInt"]!.GetValue<int>());
    }

    [Fact]
    public async Task Operation_name_selects_one_of_several_operations()
    {
        const string document = "query First { hello } query Second { echoInt(value: 7) }";

        var second = await Host.PostQueryAsync(document, operationName: "Second");
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(7, second.Data!["echoInt"]!.GetValue<int>());
        Assert.Null(second.Data!["hello"]);

        var first = await Host.PostQueryAsync(document, operationName: "First");
        Assert.Equal("Hello, world!", first.Data!["hello"]!.GetValue<string>());
        Assert.Null(first.Data!["echoInt"]);
    }

    [Fact]
    public async Task Operation_that_cannot_be_determined_is_a_request_error()
    {
        const string document = "query First { hello } query Second { echoInt(value: 7) }";

        var ambiguous = await Host.PostQueryAsync(document, accept: GraphQLResponseJson);
        Assert.Equal(400, ambiguous.StatusCode);
        Assert.Equal(GraphQLResponseJson, ambiguous.MediaType);
        Assert.False(ambiguous.HasData);
        Assert.Equal("BAD_REQUEST", ambiguous.ErrorCode());

        var unknown = await Host.PostQueryAsync(document, operationName: "Third", accept: GraphQLResponseJson);
        Assert.Equal(400, unknown.StatusCode);
        Assert.Equal("BAD_REQUEST", unknown.ErrorCode());

        var legacy = await Host.PostQueryAsync(document, operationName: "Third", accept: Json);
        Assert.Equal(200, legacy.StatusCode);
        Assert.Equal("BAD_REQUEST", legacy.ErrorCode());
    }

    [Fact]
    public async Task Parse_error_gets_400_without_data_for_graphql_response_json()
    {
        var response = await Host.PostQueryAsync("{", accept: GraphQLResponseJson);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(GraphQLResponseJson, response.MediaType);
        Assert.False(response.HasData);
        Assert.Equal("GRAPHQL_PARSE_FAILED", response.ErrorCode());
        response.AssertErrorsWellFormed();
    }

    [Theory]
    [InlineData("\rU\u00d4&D\u00eeSz\u00d4\u00fe\f\u00aa\u00fa\u00afp\u0015PdWV\u00d0\t\u00a2\b<")]
    [InlineData(".\u00034\u00c0\\0\u00ba^\u000fuD\u000b\u00f7X")]
    public async Task A_document_the_parser_fails_on_while_describing_its_error_gets_400_not_500(string document)
    {
        // Found by the property-based test: GraphQLParser threw IndexOutOfRangeException while highlighting the
        // location of the syntax error in these documents, and the request answered 500.
        var response = await Host.PostQueryAsync(document, accept: GraphQLResponseJson);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", response.ErrorCode());
        response.AssertErrorsWellFormed();
    }

    [Fact]
    public async Task Parse_error_gets_200_for_legacy_application_json()
    {
        var response = await Host.PostQueryAsync("{", accept: Json);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.False(response.HasData);
        Assert.Equal("GRAPHQL_PARSE_FAILED", response.ErrorCode());
    }

    [Fact]
    public async Task Validation_error_gets_400_without_data_for_graphql_response_json()
    {
        var response = await Host.PostQueryAsync("{ noSuchField }", accept: GraphQLResponseJson);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(GraphQLResponseJson, response.MediaType);
        Assert.False(response.HasData);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", response.ErrorCode());
        Assert.NotNull(response.Error()["locations"]);
        response.AssertErrorsWellFormed();
    }

    [Fact]
    public async Task Validation_error_gets_200_for_legacy_application_json()
    {
        var response = await Host.PostQueryAsync("{ noSuchField }", accept: Json);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.False(response.HasData);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", response.ErrorCode());
    }

    [Fact]
    public async Task Variable_coercion_failure_is_a_validation_error()
    {
        const string query = "query Coerce($value: Int!) { echoInt(value: $value) }";

        var modern = await Host.PostQueryAsync(query, new { value = (int?)null }, accept: GraphQLResponseJson);
        Assert.Equal(400, modern.StatusCode);
        Assert.False(modern.HasData);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", modern.ErrorCode());

        var wrongType = await Host.PostQueryAsync(query, new { value = "seven" }, accept: GraphQLResponseJson);
        Assert.Equal(400, wrongType.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", wrongType.ErrorCode());

        var legacy = await Host.PostQueryAsync(query, new { value = (int?)null }, accept: Json);
        Assert.Equal(200, legacy.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", legacy.ErrorCode());
    }

    [Fact]
    public async Task Subscription_is_refused_as_a_bad_request()
    {
        var response = await Host.PostQueryAsync("subscription { hello }");

        Assert.Equal(400, response.StatusCode);
        Assert.False(response.HasData);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
    }

    [Fact]
    public async Task Mutation_over_post_runs()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("mutation { increment(by: 3) }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, response.Data!["increment"]!.GetValue<int>());
        Assert.Equal(3, host.Counter.Value);
    }
}
