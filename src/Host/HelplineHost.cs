using System.Reflection;
using Helpline.GraphQL;
using Helpline.GraphQL.Http;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Platform.Modules;
using Helpline.Platform.Orleans;
using Helpline.WebConsole;
using Npgsql;
using Orleans.Configuration;
using Quartz;

namespace Helpline.Host;

/// <summary>
/// The composition root: builds the ASP.NET Core host that runs the Orleans silo, Quartz, the GraphQL endpoint
/// and the health check, over one PostgreSQL database. Used by <c>Program</c> and by the end-to-end tests.
/// </summary>
public static class HelplineHost
{
    /// <summary>
    /// Creates the host builder. Configuration: <c>HELPLINE_DB</c> (PostgreSQL connection string, required),
    /// <c>Helpline:ClusterId</c>/<c>Helpline:ServiceId</c> (default <c>helpline</c>), <c>Helpline:SiloPort</c> (11111),
    /// <c>Helpline:GatewayPort</c> (30000), <c>Helpline:AdvertisedAddress</c> (127.0.0.1).
    /// <paramref name="configure"/> runs last, so tests can replace services (for example the <see cref="TimeProvider"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">HELPLINE_DB is not set.</exception>
    public static WebApplicationBuilder CreateBuilder(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Named after the host whatever process runs it (the tests and benchmarks host it in theirs): the console's
        // static assets are found through <application name>.staticwebassets.*.json beside the binaries.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(HelplineHost).Assembly.GetName().Name });

        // The console's scripts and styles are static web assets. ./helpline up runs the build output, not a publish,
        // whose assets are found through the build's manifest only when this is on (by default only in Development);
        // a published app has no such manifest and serves them from wwwroot.
        builder.WebHost.UseStaticWebAssets();
        var connectionString = DatabasePool.WithDefaults(builder.Configuration["HELPLINE_DB"]
            ?? throw new InvalidOperationException("HELPLINE_DB is not set: give it a PostgreSQL connection string, or start the service with ./helpline up."));
        var settings = builder.Configuration.GetSection("Helpline");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "helpline" }.Build());
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddSingleton<IModuleSchema, QuartzSchema>();
        var modules = HelplineModules.All;
        foreach (var module in modules)
        {
            module.AddServices(builder.Services, builder.Configuration);
        }

        builder.UseOrleans(silo =>
        {
            silo.UseHelplinePostgres(connectionString);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings["ClusterId"] ?? "helpline";
                o.ServiceId = settings["ServiceId"] ?? "helpline";
            });
            silo.ConfigureEndpoints(
                System.Net.IPAddress.Parse(settings["AdvertisedAddress"] ?? "127.0.0.1"),
                settings.GetValue("SiloPort", 11111),
                settings.GetValue("GatewayPort", 30000),
                listenOnAnyHostAddress: false);
            silo.UseHelplineClusterMembership(settings.GetSection(HelplineClusterMembership.Section));
        });
        builder.Services.AddEventDelivery();

        var quartzConnection = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = QuartzSchema.Name }.ConnectionString;
        builder.Services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(quartzConnection);
                store.UseClustering();
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            foreach (var module in modules)
            {
                module.AddJobs(q);
            }
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        builder.Services.AddHelplineGraphQL(modules.Select(m => m.GraphQL).OfType<GraphQLPart>());
        builder.Services.Configure<GraphQLHttpOptions>(settings.GetSection("GraphQL"));
        builder.Services.AddHelplineWebConsole(builder.Configuration);
        builder.Services.AddHealthChecks().AddNpgSql(sp => sp.GetRequiredService<NpgsqlDataSource>(), name: "postgresql");

        configure?.Invoke(builder);
        return builder;
    }

    /// <summary>
    /// Prepares the database (migrations, then reference data) and maps the endpoints: <c>/graphql</c> and <c>/health</c>.
    /// Call before running the app; the silo and Quartz start when the app starts.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(WebApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        EnsureSiloPortsFree(builder.Configuration.GetSection("Helpline"));
        EnsureHttpPortsFree(builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"]);
        var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        foreach (var loader in app.Services.GetServices<IReferenceDataLoader>().OrderBy(l => l.Order))
        {
            await loader.LoadAsync(cancellationToken);
        }

        // Subscriptions: WebSocket upgrades of /graphql; the pings keep idle connections open through proxies.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapHelplineGraphQL("/graphql");
        app.MapHealthChecks("/health");
        app.MapHelplineWebConsole();
        return app;
    }

    // A second copy started on the same ports would join the cluster as a newer generation of the same silo address
    // and declare the running one dead before failing itself: refuse before touching the cluster.
    private static void EnsureSiloPortsFree(IConfiguration settings)
    {
        var address = System.Net.IPAddress.Parse(settings["AdvertisedAddress"] ?? "127.0.0.1");
        foreach (var (name, port) in new[] { ("SiloPort", settings.GetValue("SiloPort", 11111)), ("GatewayPort", settings.GetValue("GatewayPort", 30000)) })
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(address, port);
                probe.Start();
                probe.Stop();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new InvalidOperationException(
                    $"Port {port} ({name}) on {address} is in use: another Helpline silo is probably running on this machine. " +
                    $"Stop it, or start this one with other ports (Helpline__SiloPort, Helpline__GatewayPort, ASPNETCORE_URLS).", ex);
            }
        }
    }

    // Checked before the silo joins the cluster, so that a copy that cannot serve HTTP never joins it.
    private static void EnsureHttpPortsFree(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Port == 0
                || !System.Net.IPAddress.TryParse(uri.Host == "localhost" ? "127.0.0.1" : uri.Host, out var address))
            {
                continue;
            }

            try
            {
                using var probe = new System.Net.Sockets.TcpListener(address, uri.Port);
                probe.Start();
                probe.Stop();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new InvalidOperationException($"HTTP address {url} is in use: is another Helpline running? Stop it, or set ASPNETCORE_URLS.", ex);
            }
        }
    }

    /// <summary>Quartz's own schema; Quartz provisions its tables in it at start-up.</summary>
    private sealed class QuartzSchema : IModuleSchema
    {
        public const string Name = "quartz";

        public string Schema => Name;

        // No scripts of ours: the assembly is scanned for a prefix nothing matches.
        public Assembly ScriptsAssembly => typeof(QuartzSchema).Assembly;

        public int Order => 1;
    }
}
