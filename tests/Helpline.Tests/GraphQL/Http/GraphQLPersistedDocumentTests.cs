using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>
/// Persisted documents on the transport (the GraphQL-over-HTTP convention): a registered document sent by
/// <c>documentId</c> in a POST body or a GET query string, or by Apollo's <c>extensions.persistedQuery</c>; unknown
/// ids, and free text from a subject set to persisted documents only. The store is a stand-in here;
/// Access/PersistedDocumentsTests covers the real one.
/// </summary>
public sealed class GraphQLPersistedDocumentTests
{
    private const string Hello = "{ hello(name: \"persisted\") }";

    private static string IdOf(string document) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    private static Task<GraphQLTestHost> StartAsync() => GraphQLTestHost.StartAsync(services: s =>
    {
        s.AddSingleton<IPersistedDocuments>(new Documents(new Dictionary<string, string> { [IdOf(Hello)] = Hello }));
        s.AddSingleton<ICallerAuthenticator, PartnerHeader>();
    });

    [Fact]
    public async Task A_registered_document_runs_by_its_id_in_a_post_a_get_and_apollo_s_extension()
    {
        await using var host = await StartAsync();

        var post = await host.PostAsync(new JsonObject { ["documentId"] = IdOf(Hello) }.ToJsonString());
        var get = await host.GetAsync([new("documentId", IdOf(Hello))]);
        var apollo = await host.PostAsync(new JsonObject
        {
            ["extensions"] = new JsonObject { ["persistedQuery"] = new JsonObject { ["version"] = 1, ["sha256Hash"] = IdOf(Hello)[7..] } },
        }.ToJsonString());

        foreach (var response in new[] { post, get, apollo })
        {
            Assert.True(response.StatusCode == 200, response.Text);
            Assert.Equal("Hello, persisted!", response.Data!["hello"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task An_unknown_id_is_PERSISTED_DOCUMENT_NOT_FOUND_and_a_malformed_one_a_bad_request()
    {
        await using var host = await StartAsync();

        var unknown = await host.PostAsync(new JsonObject { ["documentId"] = IdOf("{ hello }") }.ToJsonString());
        var malformed = await host.PostAsync(new JsonObject { ["documentId"] = "md5:abc" }.ToJsonString());
        var different = await host.PostAsync(new JsonObject { ["documentId"] = IdOf(Hello), ["query"] = "{ hello }" }.ToJsonString());

        Assert.Equal(400, unknown.StatusCode);
        Assert.Equal(AccessErrorCodes.PersistedDocumentNotFound, unknown.ErrorCode());
        Assert.Equal(400, malformed.StatusCode);
        Assert.Equal("BAD_REQUEST", malformed.ErrorCode());
        Assert.Contains("documentId", malformed.Error()["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, different.StatusCode);
        Assert.Equal("BAD_REQUEST", different.ErrorCode());
    }

    [Fact]
    public async Task A_subject_set_to_persisted_documents_only_may_send_ids_and_nothing_else()
    {
        await using var host = await StartAsync();

        var text = await Send(host, Documents.Locked, new JsonObject { ["query"] = Hello });
        var byId = await Send(host, Documents.Locked, new JsonObject { ["documentId"] = IdOf(Hello) });
        var otherPartner = await Send(host, "free-portal", new JsonObject { ["query"] = Hello });

        Assert.Equal(400, text.StatusCode);
        Assert.Equal(AccessErrorCodes.PersistedDocumentsOnly, text.ErrorCode());
        Assert.Equal(200, byId.StatusCode);
        Assert.Equal(200, otherPartner.StatusCode);
    }

    private static async Task<GraphQLResponse> Send(GraphQLTestHost host, string partner, JsonObject body)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Add(PartnerHeader.Name, partner);
        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType, [], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    private sealed class Documents(Dictionary<string, string> documents) : IPersistedDocuments
    {
        public const string Locked = "locked-portal";

        public ValueTask<string?> FindAsync(Caller caller, string id, CancellationToken cancellationToken) => ValueTask.FromResult(documents.GetValueOrDefault(id));

        public bool RequiresPersistedDocuments(Caller caller) => caller.Subject == Locked;
    }

    private sealed class PartnerHeader : ICallerAuthenticator
    {
        public const string Name = "X-Partner";

        public ValueTask<CallerResult> AuthenticateAsync(HttpContext http)
            => ValueTask.FromResult(CallerResult.Of(http.Request.Headers.TryGetValue(Name, out var partner)
                ? new Caller(partner.ToString(), Role.Partner, CallerScope.Unlimited)
                : Caller.NewPublic()));
    }
}
