using Microsoft.AspNetCore.Components.Web;

namespace Helpline.WebConsole.Components;

/// <summary>The render mode of the console's working pages.</summary>
public static class ConsoleRenderMode
{
    /// <summary>
    /// Interactive on the server, without prerendering: a form shows only once it can take input, so nothing a fast
    /// typist (or a browser test) enters before the page is live is lost, and each page loads its data once.
    /// </summary>
    public static readonly InteractiveServerRenderMode Interactive = new(prerender: false);
}
