using System.Text;
using System.Text.Json.Nodes;
using GraphQL.Validation.Complexity;
using Helpline.GraphQL.Http;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// The limits of issue 16: the execution timeout (queries cancelled, mutations answered as of unknown outcome and run to
/// their end), rate limits per partner, the page size cap, named complexity and depth refusals, and the document cache.
/// </summary>
public sealed class GraphQLHttpLimitsTests
{
    // The spec's own media type: refusals before execution are 400 with it (200 with plain application/json).
    private const string Spec = "application/graphql-response+json";

    [Fact]
    public async Task A_query_over_the_execution_timeout_is_cancelled_with_a_retryable_timeout()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.ExecutionTimeout = TimeSpan.FromMilliseconds(50));

        var response = await host.PostQueryAsync("{ hang }", accept: Spec);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(GraphQLHttpErrorCodes.Timeout, response.ErrorCode());
        Assert.True(response.Error()["extensions"]!["retryable"]!.GetValue<bool>());
        Assert.Equal("2", response.RetryAfter);
    }

    [Fact]
    public async Task A_mutation_past_its_timeout_is_outcome_unknown_and_still_runs_to_its_end()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.MutationTimeout = TimeSpan.FromMilliseconds(50), kestrel: true);

        var response = await host.PostQueryAsync("mutation { incrementWhenLetThrough(by: 5) }", accept: Spec);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(GraphQLHttpErrorCodes.OutcomeUnknown, response.ErrorCode());
        Assert.True(response.Error()["extensions"]!["retryable"]!.GetValue<bool>());
        Assert.Equal("2", response.RetryAfter);
        Assert.Equal(0, host.Counter.Value);

        // Never cut part-way: once let through, the mutation completes although its client was answered.
        host.Gate.Open();
        Assert.Equal(5, await Wait.UntilAsync(() => Task.FromResult(host.Counter.Value), v => v == 5, "the late mutation to finish"));
    }

    [Fact]
    public async Task A_partner_over_its_rate_limit_gets_429_while_another_partner_is_served()
    {
        await using var host = await GraphQLTestHost.StartAsync(
            o => o.RateLimits.Roles["partner"] = new GraphQLRateLimit { Burst = 2, PermitsPerPeriod = 1, Period = TimeSpan.FromHours(1) },
            services: s => s.AddSingleton<ICallerAuthenticator, PartnerHeader>());

        Assert.Equal(200, (await Send(host, "portal-a", "{ hello }")).StatusCode);
        Assert.Equal(200, (await Send(host, "portal-a", "{ hello }")).StatusCode);
        var refused = await Send(host, "portal-a", "mutation { increment(by: 1) }");
        var other = new[] { await Send(host, "portal-b", "{ hello }"), await Send(host, "portal-b", "{ hello }") };

        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(GraphQLHttpErrorCodes.RateLimited, refused.ErrorCode());
        var seconds = refused.Error()["extensions"]!["retryAfterSeconds"]!.GetValue<int>();
        Assert.InRange(seconds, 1, 3600);
        Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.RetryAfter);
        Assert.Equal(0, host.Counter.Value); // nothing ran
        Assert.All(other, r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_subject_limit_overrides_its_role_limit()
    {
        await using var host = await GraphQLTestHost.StartAsync(
            o =>
            {
                o.RateLimits.Roles["partner"] = new GraphQLRateLimit { Burst = 1, PermitsPerPeriod = 1, Period = TimeSpan.FromHours(1) };
                o.RateLimits.Subjects["cm-dashboard"] = new GraphQLRateLimit { Burst = 4, PermitsPerPeriod = 1, Period = TimeSpan.FromHours(1) };
            },
            services: s => s.AddSingleton<ICallerAuthenticator, PartnerHeader>());

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await Send(host, "cm-dashboard", "{ hello }")).StatusCode);

        Assert.Equal([200, 200, 200, 200, 429], statuses);
    }

    [Theory]
    [InlineData("{ pagedItems(first: 51) { value } }", null)]
    [InlineData("{ pagedItems(first: 100000) { value } }", null)] // over the complexity limit too: only the page is named
    [InlineData("query($n: Int) { pagedItems(first: $n) { value } }", 51)]
    public async Task A_page_over_the_largest_is_refused_naming_the_argument(string document, int? n)
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync(document, n is null ? null : new { n }, accept: Spec);

        Assert.Equal(400, response.StatusCode);
        var error = Assert.Single(response.Errors)!;
        Assert.Equal(GraphQLHttpErrorCodes.PageTooLarge, error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("pagedItems.first", error["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal(50, error["extensions"]!["max"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_largest_page_is_served()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("{ pagedItems(first: 50) { value } }", accept: Spec);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(50, response.Data!["pagedItems"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_complexity_refusal_names_the_costly_field()
    {
        await using var host = await GraphQLTestHost.StartAsync();
        var document = "{ hello " + string.Concat(Enumerable.Range(0, 500).Select(i => $"a{i}: items(first: 100) {{ value }} ")) + "}";

        var response = await host.PostQueryAsync(document, accept: Spec);

        Assert.Equal(400, response.StatusCode);
        var message = response.Error()["message"]!.GetValue<string>();
        Assert.Contains("the most costly is items", message, StringComparison.Ordinal);
        Assert.Contains("500 selections", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_depth_refusal_names_the_path()
    {
        var complexity = GraphQLComplexity.CreateOptions();
        complexity.MaxDepth = 3;
        await using var host = await GraphQLTestHost.StartAsync(o => o.Complexity = complexity);

        var response = await host.PostQueryAsync("{ node { child { deep: child { child { value } } } } }", accept: Spec);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("node.child.deep.child", response.Error()["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_surrogate_in_variables_names_the_variable()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostAsync("""{"query":"query($s: String) { hello(name: $s) }","variables":{"s":"ok","t":{"u":["\ud800"]}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BAD_REQUEST", response.ErrorCode());
        var message = response.Error()["message"]!.GetValue<string>();
        Assert.Contains("variables.t.u[0]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_document_still_checks_what_depends_on_the_variables()
    {
        var complexity = GraphQLComplexity.CreateOptions();
        complexity.MaxComplexity = 100;
        await using var host = await GraphQLTestHost.StartAsync(o => o.Complexity = complexity);
        const string document = "query($n: Int) { items(first: $n) { value } }";

        var first = await host.PostQueryAsync(document, new { n = 10 }, accept: Spec);
        var again = await host.PostQueryAsync(document, new { n = 10 }, accept: Spec);
        var tooMany = await host.PostQueryAsync(document, new { n = 100 }, accept: Spec);

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(1, host.Services.GetRequiredService<GraphQLDocumentCache>().Count);
        Assert.Equal(400, tooMany.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", tooMany.ErrorCode());
    }

    [Fact]
    public async Task The_document_cache_is_bounded_and_keeps_no_invalid_document()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.DocumentCacheCharacters = 100);

        for (var i = 0; i < 20; i++)
            Assert.Equal(200, (await host.PostQueryAsync($"{{ a{i}: hello(name: \"client {i}\") }}", accept: Spec)).StatusCode);
        var invalid = await host.PostQueryAsync("{ noSuchField }", accept: Spec);

        Assert.Equal(400, invalid.StatusCode);
        Assert.InRange(host.Services.GetRequiredService<GraphQLDocumentCache>().Count, 0, 100 / "{ a0: hello(name: \"client 0\") }".Length);
    }

    private static async Task<GraphQLResponse> Send(GraphQLTestHost host, string partner, string query)
    {
        var body = new JsonObject { ["query"] = query }.ToJsonString();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Add(PartnerHeader.Name, partner);
        request.Headers.TryAddWithoutValidation("Accept", Spec);
        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType, [], bytes) { RetryAfter = response.Headers.RetryAfter?.ToString() };
    }

    /// <summary>Stands in for tokens: the partner named by a header.</summary>
    private sealed class PartnerHeader : ICallerAuthenticator
    {
        public const string Name = "X-Partner";

        public ValueTask<CallerResult> AuthenticateAsync(HttpContext http)
            => ValueTask.FromResult(http.Request.Headers.TryGetValue(Name, out var partner)
                ? CallerResult.Of(new Caller(partner.ToString(), Role.Partner, CallerScope.Unlimited))
                : CallerResult.Of(Caller.NewPublic()));
    }
}
