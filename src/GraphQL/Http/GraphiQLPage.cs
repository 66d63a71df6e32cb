using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Helpline.GraphQL.Http;

/// <summary>
/// GraphiQL for a browser at the GraphQL endpoint: the page vite builds from src/GraphiQL (index.html) and its assets,
/// read from <see cref="GraphQLHttpOptions.GraphiQLDirectory"/>. Nothing is loaded from elsewhere, so it works offline.
/// </summary>
internal sealed partial class GraphiQLPage(string directory)
{
    /// <summary>Where the built assets are served (vite's <c>base</c> in src/GraphiQL/vite.config.mjs, plus <c>assets</c>).</summary>
    public const string AssetsPath = "/graphiql/assets";

    /// <summary>
    /// Only this origin: scripts, workers, styles and requests. Monaco and GraphiQL set style attributes at run time, so
    /// inline styles are allowed; inline scripts are not (the built page has none). GraphiQL's stylesheet carries its
    /// fonts as data: URLs, hence data: for fonts (and for the empty favicon).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; " +
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public string Directory { get; } = directory;

    /// <summary>Writes the page, or, when it was not built, a page saying how to build it (404, never a 500).</summary>
    public async Task WritePageAsync(HttpContext http)
    {
        var response = http.Response;
        AddSecurityHeaders(response);
        response.Headers.Vary = "Accept";
        // The page names the current build's hashed assets: always revalidate it.
        response.Headers.CacheControl = "no-cache";
        response.ContentType = "text/html; charset=utf-8";
        var page = Path.Combine(Directory, "index.html");
        if (File.Exists(page))
        {
            await response.SendFileAsync(page, http.RequestAborted);
            return;
        }

        response.StatusCode = StatusCodes.Status404NotFound;
        await response.WriteAsync(NotBuiltPage, http.RequestAborted);
    }

    /// <summary>Serves one built asset by its file name (hashed by vite, so cached for good); 404 for anything else.</summary>
    public async Task WriteAssetAsync(HttpContext http, string file)
    {
        var response = http.Response;
        var path = Path.Combine(Directory, "assets", file);
        // Only plain file names: nothing can climb out of the assets folder.
        if (!AssetName().IsMatch(file) || !File.Exists(path))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        AddSecurityHeaders(response);
        response.ContentType = ContentTypes.TryGetContentType(file, out var contentType) ? contentType : "application/octet-stream";
        response.Headers.CacheControl = "public, max-age=31536000, immutable";
        await response.SendFileAsync(path, http.RequestAborted);
    }

    private static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]
    private static partial Regex AssetName();

    private const string NotBuiltPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Helpline GraphQL: GraphiQL is not built</title></head>
        <body>
        <h1>GraphiQL is not built</h1>
        <p>This is the Helpline GraphQL endpoint. GraphQL clients POST to it (or GET it with <code>?query=</code>); a
        browser gets GraphiQL here once its page is built.</p>
        <p>Build it with <code>./helpline up</code> or <code>./helpline test</code> (they need node 20 and npm), or by hand:</p>
        <pre>cd src/GraphiQL &amp;&amp; npm ci &amp;&amp; npm run build</pre>
        <p>then build the host again (<code>dotnet build</code> copies <code>src/GraphiQL/dist</code> next to it).</p>
        </body>
        </html>
        """;
}
