using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Helpline.WebConsole.Api;

/// <summary>
/// Where the console reaches the service's API: <c>Helpline:WebConsole:ApiAddress</c> when set, else this silo's own
/// first HTTP address (the console and the API are one process, so a page never depends on another silo being up).
/// </summary>
public sealed class ApiAddress(IServer server, IOptions<WebConsoleOptions> options)
{
    private Uri? _resolved;

    /// <summary>The base address, ending in a slash.</summary>
    public Uri BaseAddress => _resolved ??= Resolve();

    private Uri Resolve()
    {
        if (options.Value.ApiAddress is { Length: > 0 } configured)
        {
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The service listens on no HTTP address yet; set Helpline:WebConsole:ApiAddress.");

        // A wildcard listen address is not an address to connect to: the loopback reaches the same listener.
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}
