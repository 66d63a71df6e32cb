using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Helpline.Access;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Tests.Access;

/// <summary>
/// Persisted documents end to end: a partner registers its documents (idempotently) and runs them by id, on this silo
/// and on a second host over the same database; another subject cannot run them; an administrator sets a partner to
/// persisted documents only and registers its documents for it.
/// </summary>
public sealed class PersistedDocumentsTests(AccessTestHost world) : IClassFixture<AccessTestHost>
{
    private const string Me = "{ me { subject role } }";
    private const string Persist = "mutation($d: [String!]!, $s: String) { persistDocuments(documents: $d, subject: $s) }";

    private static readonly string[] OneMore = ["{ over: me { subject } }"];
    private static readonly string[] HeldAlready = ["{ a7: me { subject } }"];

    private static string IdOf(string document) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    [Fact]
    public async Task A_partner_registers_its_documents_once_and_runs_them_by_id_on_every_silo()
    {
        var portal = world.Token(Role.Partner, "pd-lucknow-portal");

        var first = await world.SendAsync(Persist, new { d = new[] { Me, "{ departments { id } }" } }, portal);
        var again = await world.SendAsync(Persist, new { d = new[] { Me } }, portal);

        Assert.Equal(IdOf(Me), first.Get("persistDocuments.0").GetValue<string>());
        Assert.Equal(IdOf(Me), again.Get("persistDocuments.0").GetValue<string>());
        var here = await SendByIdAsync(world.Host, IdOf(Me), portal);
        Assert.Equal("pd-lucknow-portal", here.Body["data"]!["me"]!["subject"]!.GetValue<string>());

        // Another subject has no such document, though anyone may compute the id.
        var stranger = await SendByIdAsync(world.Host, IdOf(Me), world.Token(Role.Partner, "pd-agra-portal"));
        Assert.Equal(HttpStatusCode.BadRequest, stranger.Status);
        Assert.Equal(AccessErrorCodes.PersistedDocumentNotFound, stranger.FirstCode);

        // A second silo over the same database finds the document registered through the first.
        await using var second = await HelplineTestHost.StartAsync(world.ConnectionString, world.Clock,
            b => b.Services.Configure<AccessOptions>(o => o.TrustedKeys.Add(AccessTestKeys.Trusted.PublicJwk)));
        var there = await SendByIdAsync(second, IdOf(Me), portal);
        Assert.True(there.Status == HttpStatusCode.OK, there.ToString());
        Assert.Equal("pd-lucknow-portal", there.Body["data"]!["me"]!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_administrator_sets_a_partner_to_persisted_documents_only()
    {
        var admin = world.Token(Role.Administrator, "pd-admin");
        var locked = world.Token(Role.Partner, "pd-locked-portal");

        var registered = await world.SendAsync(Persist, new { d = new[] { Me }, s = "pd-locked-portal" }, admin);
        var limited = await world.SendAsync(
            """mutation { limitSubject(subject: "pd-locked-portal", persistedDocumentsOnly: true) { persistedDocumentsOnly } }""", bearer: admin);
        var text = await world.SendAsync(Me, bearer: locked);
        var byId = await SendByIdAsync(world.Host, IdOf(Me), locked);
        var someoneElses = await world.SendAsync(Persist, new { d = new[] { Me }, s = "pd-other" }, locked);

        Assert.Equal(IdOf(Me), registered.Get("persistDocuments.0").GetValue<string>());
        Assert.True(limited.Get("limitSubject.persistedDocumentsOnly").GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, text.Status);
        Assert.Equal(AccessErrorCodes.PersistedDocumentsOnly, text.FirstCode);
        Assert.Equal(HttpStatusCode.OK, byId.Status);
        Assert.Equal(AccessErrorCodes.PersistedDocumentsOnly, someoneElses.FirstCode); // free text, so refused before it could name anyone
    }

    [Fact]
    public async Task A_locked_partner_cannot_register_its_way_out_and_nobody_stores_more_than_the_limit()
    {
        var admin = world.Token(Role.Administrator, "pd-admin");
        var sly = world.Token(Role.Partner, "pd-sly-portal");

        // The partner persisted the registration mutation itself before it was locked: using it by id gets nothing in.
        var registered = await world.SendAsync(Persist, new { d = new[] { Persist } }, sly);
        Assert.Equal(IdOf(Persist), registered.Get("persistDocuments.0").GetValue<string>());
        await world.SendAsync("""mutation { limitSubject(subject: "pd-sly-portal", persistedDocumentsOnly: true) { subject } }""", bearer: admin);
        var sneaked = await SendByIdAsync(world.Host, IdOf(Persist), sly, new JsonObject { ["d"] = new JsonArray("{ departments { id } }") });
        Assert.Equal(AccessErrorCodes.PersistedDocumentsOnly, sneaked.FirstCode);
        Assert.Equal(AccessErrorCodes.PersistedDocumentNotFound, (await SendByIdAsync(world.Host, IdOf("{ departments { id } }"), sly)).FirstCode);

        // At most 1,000 documents a subject: 10 calls of 100 fill it, the 1,001st is refused, and one already held is fine.
        var hoarder = world.Token(Role.Partner, "pd-hoarding-portal");
        for (var call = 0; call < 10; call++)
        {
            var batch = Enumerable.Range(call * 100, 100).Select(i => $"{{ a{i}: me {{ subject }} }}").ToArray();
            Assert.Null((await world.SendAsync(Persist, new { d = batch }, hoarder)).Errors);
        }

        var over = await world.SendAsync(Persist, new { d = OneMore }, hoarder);
        Assert.Equal(AccessErrorCodes.PersistedDocumentLimit, over.FirstCode);
        Assert.Null((await world.SendAsync(Persist, new { d = HeldAlready }, hoarder)).Errors);
    }

    [Fact]
    public async Task A_document_that_does_not_parse_is_refused_naming_it()
    {
        var r = await world.SendAsync(Persist, new { d = new[] { Me, "{ me { " } }, world.Token(Role.Partner, "pd-careless-portal"));

        Assert.Equal("INVALID_VALUE", r.FirstCode);
        Assert.Equal("documents[1]", r.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
    }

    private static async Task<AccessResponse> SendByIdAsync(HelplineTestHost host, string id, string bearer, JsonObject? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["documentId"] = id, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new AccessResponse(response.StatusCode, JsonNode.Parse(body)!.AsObject(), null);
    }
}
