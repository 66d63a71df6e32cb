using System.Text.RegularExpressions;
using Helpline.GraphQL.Http;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>GraphiQL at /graphql for a browser: the page, its assets, and GraphQL GETs left as they were.</summary>
public sealed partial class GraphiQLPageTests : IDisposable
{
    // What Chromium and Firefox send when navigating to a page.
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private readonly string _directory = Directory.CreateTempSubdirectory("helpline-graphiql-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string FakeBuild()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "assets"));
        File.WriteAllText(Path.Combine(_directory, "index.html"), "<!doctype html><script type=\"module\" src=\"/graphiql/assets/index-abc.js\"></script><div id=\"graphiql\"></div>");
        File.WriteAllText(Path.Combine(_directory, "assets", "index-abc.js"), "export {};");
        File.WriteAllText(Path.Combine(_directory, "assets", "index-abc.css"), "body{}");
        File.WriteAllBytes(Path.Combine(_directory, "assets", "codicon-abc.ttf"), [0, 1, 0, 0]);
        File.WriteAllText(Path.Combine(_directory, "secret.txt"), "outside the assets folder");
        return _directory;
    }

    [Fact]
    public async Task A_browser_gets_the_page_with_a_tight_content_security_policy()
    {
        var directory = FakeBuild();
        await using var host = await GraphQLTestHost.StartAsync(o => o.GraphiQLDirectory = directory);

        using var response = await GetAsync(host, "/graphql", BrowserAccept);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"graphiql\">", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.DoesNotContain("http", csp);
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Assets_are_served_with_their_content_types_and_nothing_outside_the_assets_folder()
    {
        var directory = FakeBuild();
        await using var host = await GraphQLTestHost.StartAsync(o => o.GraphiQLDirectory = directory);

        foreach (var (file, type) in new[] { ("index-abc.js", "text/javascript"), ("index-abc.css", "text/css"), ("codicon-abc.ttf", "application/x-font-ttf") })
        {
            using var asset = await GetAsync(host, "/graphiql/assets/" + file, "*/*");
            Assert.Equal(200, (int)asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", asset.Headers.CacheControl?.ToString());
        }

        foreach (var path in new[] { "/graphiql/assets/missing.js", "/graphiql/assets/..%2Fsecret.txt", "/graphiql/assets/%2E%2E%2Fsecret.txt", "/graphiql/assets/.hidden" })
        {
            using var refused = await GetAsync(host, path, "*/*");
            Assert.Equal(404, (int)refused.StatusCode);
        }
    }

    [Fact]
    public async Task Graphql_gets_are_unaffected()
    {
        var directory = FakeBuild();
        await using var host = await GraphQLTestHost.StartAsync(o => o.GraphiQLDirectory = directory);

        foreach (var accept in new[] { "application/graphql-response+json", "application/json", "*/*", "text/html, application/json" })
        {
            var response = await host.GetAsync("{ hello }", accept);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        }

        var post = await host.PostAsync("{\"query\":\"{ hello }\"}", BrowserAccept);
        Assert.Equal(200, post.StatusCode);
        Assert.Equal("application/json", post.MediaType);
    }

    [Fact]
    public async Task Without_a_build_a_browser_is_told_how_to_build_it()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.GraphiQLDirectory = _directory);

        using var response = await GetAsync(host, "/graphql", BrowserAccept);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("GraphiQL is not built", text);
        Assert.Contains("npm ci", text);
    }

    [Fact]
    public async Task Switched_off_a_browser_get_is_an_ordinary_graphql_get()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.GraphiQLDirectory = null);

        var response = await host.SendAsync(HttpMethod.Get, "/graphql", null, BrowserAccept);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/json", response.MediaType);
    }

    /// <summary>
    /// The page vite built from src/GraphiQL (./helpline test builds it before the suite): served by default from beside
    /// the host, it loads only this origin's assets, each with its content type.
    /// </summary>
    [Fact]
    public async Task The_built_page_loads_only_its_own_assets()
    {
        var built = new GraphQLHttpOptions().GraphiQLDirectory!;
        Assert.True(File.Exists(Path.Combine(built, "index.html")),
            $"GraphiQL is not built into {built}: run ./helpline test (it builds src/GraphiQL), or 'npm ci && npm run build' in src/GraphiQL and build again");
        await using var host = await GraphQLTestHost.StartAsync();

        using var page = await GetAsync(host, "/graphql", BrowserAccept);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)page.StatusCode);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await GetAsync(host, asset, "*/*");
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(asset.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/graphiql/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();

    private static async Task<HttpResponseMessage> GetAsync(GraphQLTestHost host, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
