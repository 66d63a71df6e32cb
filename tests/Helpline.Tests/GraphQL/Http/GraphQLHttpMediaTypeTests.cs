namespace Helpline.Tests.GraphQLHttp;

/// <summary>Accept negotiation, Content-Type and charset rules of the GraphQL-over-HTTP spec.</summary>
public sealed class GraphQLHttpMediaTypeTests(GraphQLHttpFixture fixture) : IClassFixture<GraphQLHttpFixture>
{
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";
    private const string Hello = "{\"query\":\"{ hello }\"}";

    private GraphQLTestHost Host => fixture.Host;

    [Fact]
    public async Task Missing_accept_header_gets_application_json_in_utf8()
    {
        var response = await Host.PostAsync(Hello);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.Equal("utf-8", response.ContentType!.CharSet);
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        Assert.False(response.Json.ContainsKey("errors"));
    }

    [Fact]
    public async Task Wildcard_accept_gets_application_json()
    {
        foreach (var accept in new[] { "*/*", "application/*", "*/*;q=0.8" })
        {
            var response = await Host.PostAsync(Hello, accept);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal(Json, response.MediaType);
        }
    }

    [Fact]
    public async Task A_client_that_says_nothing_gets_legacy_status_codes_for_a_document_refused_before_execution()
    {
        var response = await Host.PostQueryAsync("{ noSuchField }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", response.ErrorCode());
    }

    [Fact]
    public async Task With_wildcards_preferring_the_spec_type_a_missing_or_wildcard_accept_gets_graphql_response_json()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.PreferApplicationJsonForWildcards = false);

        foreach (var accept in new[] { null, "*/*", "application/*" })
        {
            var response = await host.PostAsync(Hello, accept);

            Assert.Equal(200, response.StatusCode);
            Assert.Equal(GraphQLResponseJson, response.MediaType);
        }
    }

    [Fact]
    public async Task Accepting_graphql_response_json_gets_it()
    {
        var response = await Host.PostAsync(Hello, GraphQLResponseJson);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(GraphQLResponseJson, response.MediaType);
    }

    [Fact]
    public async Task Legacy_client_accepting_only_application_json_gets_application_json()
    {
        var response = await Host.PostAsync(Hello, Json);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(Json, response.MediaType);
        Assert.Equal("utf-8", response.ContentType!.CharSet);
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
    }

    [Fact]
    public async Task Accept_qualities_choose_the_preferred_type()
    {
        var recommended = await Host.PostAsync(Hello, "application/graphql-response+json, application/json;q=0.9");
        Assert.Equal(GraphQLResponseJson, recommended.MediaType);

        var jsonPreferred = await Host.PostAsync(Hello, "application/json, application/graphql-response+json;q=0.5");
        Assert.Equal(Json, jsonPreferred.MediaType);

        var namedBeatsWildcard = await Host.PostAsync(Hello, "application/json, */*");
        Assert.Equal(Json, namedBeatsWildcard.MediaType);

        var refusedByZeroQuality = await Host.PostAsync(Hello, "application/graphql-response+json;q=0, application/json");
        Assert.Equal(Json, refusedByZeroQuality.MediaType);
    }

    [Fact]
    public async Task Accept_without_a_supported_type_gets_406()
    {
        foreach (var accept in new[] { "text/html", "application/xml, text/plain;q=0.5", "application/json;q=0, application/graphql-response+json;q=0" })
        {
            var response = await Host.PostAsync(Hello, accept);

            Assert.Equal(406, response.StatusCode);
            Assert.Equal(Json, response.MediaType);
            Assert.Equal("NOT_ACCEPTABLE", response.ErrorCode());
            response.AssertErrorsWellFormed();
            Assert.False(response.HasData);
        }
    }

    [Fact]
    public async Task Post_with_an_unsupported_content_type_gets_415()
    {
        foreach (var contentType in new[] { "text/plain", "application/x-www-form-urlencoded", "application/graphql", "multipart/form-data; boundary=x" })
        {
            var response = await Host.PostAsync(Hello, contentType: contentType);

            Assert.Equal(415, response.StatusCode);
            Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.ErrorCode());
            response.AssertErrorsWellFormed();
        }
    }

    [Fact]
    public async Task Post_without_a_content_type_gets_415()
    {
        var response = await Host.PostAsync(Hello, contentType: null);

        Assert.Equal(415, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", response.ErrorCode());
        Assert.Contains("Content-Type", response.Error()["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Utf8_charset_is_accepted_in_any_spelling_and_other_charsets_get_415()
    {
        foreach (var contentType in new[] { "application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON", "application/json; charset=\"utf-8\"" })
            Assert.Equal(200, (await Host.PostAsync(Hello, contentType: contentType)).StatusCode);

        var latin1 = await Host.PostAsync(Hello, contentType: "application/json; charset=iso-8859-1");
        Assert.Equal(415, latin1.StatusCode);
        Assert.Contains("utf-8", latin1.Error()["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Non_ascii_text_round_trips_as_utf8()
    {
        const string name = "नमस्ते 🏃 Zoë";

        var response = await Host.PostQueryAsync("query($n: String) { hello(name: $n) }", new { n = name });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal($"Hello, {name}!", response.Data!["hello"]!.GetValue<string>());
        Assert.Contains("नमस्ते", response.Text); // written as UTF-8, not as \u escapes
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_tolerated()
    {
        var response = await Host.PostAsync("\uFEFF" + Hello);

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task Responses_vary_by_accept()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7Bhello%7D");
        using var response = await Host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains("Accept", response.Headers.Vary);
    }
}
