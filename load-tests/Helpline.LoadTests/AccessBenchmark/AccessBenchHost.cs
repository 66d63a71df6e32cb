using GraphQL.Validation;
using Helpline.GraphQL.Http;
using Helpline.Host;
using Helpline.LoadTests.SlaBenchmark;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Helpline.LoadTests.AccessBenchmark;

/// <summary>
/// The real Helpline host in this process on the real clock, trusting one generated key, with the benchmark's bypass:
/// a request carrying <see cref="BypassHeader"/> skips identity, role and scope checks (see <see cref="BypassingAuthenticator"/>
/// and <see cref="RoleRuleBypass"/>), every other request goes through them unchanged. So both variants run in one
/// process, one silo, one set of warm caches, one run.
/// </summary>
internal sealed class AccessBenchHost : IAsyncDisposable
{
    /// <summary>The header that selects variant B ("without it"). Benchmark-only: the service has no such thing.</summary>
    public const string BypassHeader = "X-Bench-NoAuth";

    private readonly WebApplication _app;

    private AccessBenchHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AccessBenchHost> StartAsync(string connectionString, string trustedPublicJwk)
    {
        var builder = HelplineHost.CreateBuilder(
            [
                $"--HELPLINE_DB={connectionString}",
                $"--Helpline:SiloPort={BenchHost.FreePort()}",
                $"--Helpline:GatewayPort={BenchHost.FreePort()}",
                "--urls=http://127.0.0.1:0",
                "--Logging:LogLevel:Default=Warning",
                $"--Helpline:Access:TrustedKeys:0={trustedPublicJwk}",
                // Its clients are partner portals sending as fast as they can: measured here is the cost of access checks, not the rate limit.
                "--Helpline:GraphQL:RateLimits:Enabled=false",
            ],
            b =>
            {
                b.Logging.ClearProviders();
                b.Logging.AddSimpleConsole(o => o.SingleLine = true);
                BypassingAuthenticator.Install(b.Services);
                b.Services.PostConfigure<GraphQLHttpOptions>(RoleRuleBypass.Install);
            });
        var app = await HelplineHost.BuildAsync(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new AccessBenchHost(app, new Uri(address));
    }

    public static bool Bypassed(HttpContext http) => http.Request.Headers.ContainsKey(BypassHeader);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Wraps the registered <see cref="ICallerAuthenticator"/>: with <see cref="AccessBenchHost.BypassHeader"/> the caller is
/// a fixed auditor without limits and no other header is read; without it the real authenticator answers.
/// </summary>
internal sealed class BypassingAuthenticator(ICallerAuthenticator inner) : ICallerAuthenticator
{
    public ValueTask<CallerResult> AuthenticateAsync(HttpContext http) =>
        AccessBenchHost.Bypassed(http)
            // A new caller each time, as the real one: a caller collects the request's personal-data reads.
            ? ValueTask.FromResult(CallerResult.Of(new Caller("access-bench", Role.Auditor, CallerScope.Unlimited)))
            : inner.AuthenticateAsync(http);

    /// <summary>Replaces the modules' registration (after them, as the host's configure callback runs last) by this wrapper around it.</summary>
    public static void Install(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ICallerAuthenticator))
            ?? throw new InvalidOperationException("No ICallerAuthenticator is registered: the Access module is not in the host.");
        services.RemoveAll<ICallerAuthenticator>();
        services.Add(ServiceDescriptor.Describe(
            typeof(ICallerAuthenticator),
            sp => new BypassingAuthenticator(Create(sp, registered)),
            registered.Lifetime));
    }

    private static ICallerAuthenticator Create(IServiceProvider sp, ServiceDescriptor registered) =>
        (ICallerAuthenticator)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!));
}

/// <summary>
/// Leaves the field-role validation rule out of requests that carry <see cref="AccessBenchHost.BypassHeader"/>, so that
/// variant B runs no access check at all; the other rules (core, complexity) stay.
/// </summary>
internal static class RoleRuleBypass
{
    // The transport's rule is internal to it: it is recognised by name, and its absence stops the benchmark.
    private const string RoleRuleName = "FieldAccessValidationRule";

    public static void Install(GraphQLHttpOptions options)
    {
        var previous = options.ConfigureExecution;
        Filtered? cache = null;
        options.ConfigureExecution = (execution, http) =>
        {
            previous?.Invoke(execution, http);
            if (!AccessBenchHost.Bypassed(http) || execution.ValidationRules is not { } rules)
            {
                return;
            }

            // The transport passes the same array every time: filter it once.
            var known = cache;
            if (known is null || !ReferenceEquals(known.Source, rules))
            {
                var kept = rules.Where(r => r.GetType().Name != RoleRuleName).ToArray();
                if (kept.Length != rules.Count() - 1)
                {
                    throw new InvalidOperationException($"The transport's validation rules have no {RoleRuleName}: update the access benchmark.");
                }

                cache = known = new Filtered(rules, kept);
            }

            execution.ValidationRules = known.Rules;
        };
    }

    private sealed record Filtered(object Source, IValidationRule[] Rules);
}
