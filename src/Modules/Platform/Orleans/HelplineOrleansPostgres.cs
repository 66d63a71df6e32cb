using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Helpline.Platform.Orleans;

/// <summary>
/// Wires Orleans to Helpline's PostgreSQL: ADO.NET clustering, grain storage and reminders, all reading their SQL
/// from <c>orleans.orleansquery</c> (created by <see cref="PlatformSchema"/>'s migrations, which must have run first).
/// </summary>
public static class HelplineOrleansPostgres
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The name of the grain storage provider, registered besides the default provider with the same settings.</summary>
    public const string StorageName = "helpline";

    /// <summary>
    /// The connection string the Orleans providers use: <paramref name="connectionString"/> with
    /// <c>Search Path=orleans</c>, because the providers load their queries from an unqualified <c>OrleansQuery</c>;
    /// with their statements prepared, and sessions that neither prefer a table scan nor compile statements, unless
    /// the string sets those itself.
    /// </summary>
    /// <param name="connectionString">The application's PostgreSQL connection string.</param>
    /// <returns>The same connection string with the search path set to the <c>orleans</c> schema, and those settings.</returns>
    public static string ProviderConnectionString(string connectionString) =>
        ProviderConnectionString(connectionString, Environment.GetEnvironmentVariable("PGOPTIONS"));

    /// <summary>As <see cref="ProviderConnectionString(string)"/>, with the process's <c>PGOPTIONS</c> given.</summary>
    internal static string ProviderConnectionString(string connectionString, string? environmentOptions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = PlatformSchema.Name };

        // Npgsql takes PGOPTIONS only when the string has no Options: the settings added below would replace the
        // operator's (a statement_timeout, say), so they are added to those instead.
        if (string.IsNullOrWhiteSpace(builder.Options) && !string.IsNullOrWhiteSpace(environmentOptions))
        {
            builder.Options = environmentOptions;
        }

        // The providers send the same few statements over and over (a state read and write for every grievance
        // change): prepared, PostgreSQL parses each once per connection. Their stored texts (migration 0002) find
        // their row by index in a plan made for any values, which a prepared statement may get after five runs.
        // Npgsql's default is 0 too, so only the key's absence tells "not said" from an operator's "never prepare".
        if (!SaysMaxAutoPrepare(connectionString))
        {
            builder.MaxAutoPrepare = ProviderMaxAutoPrepare;
        }

        // A plan made for any values is kept until the table is analysed again. Made while grain_state held a few
        // rows, it scanned the table, and every read then cost more as the table grew (8 ms at 10,000 rows, seen in
        // the first minute of a fresh database). Every provider statement finds its rows by an index, so the
        // providers' sessions are told never to prefer a scan. A scan they cannot avoid then looks so costly that
        // PostgreSQL would compile the statement to machine code first (hundreds of milliseconds), so that is off too.
        foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[("enable_seqscan", "off"), ("jit", "off")])
        {
            // Whatever the string sets itself stays, in any form PostgreSQL reads: "-c name=", "-cname=" or
            // "--name=", any case, with - for _ (jit_above_cost is another setting than jit).
            var set = $@"(?:^|\s)(?:-c\s*|--){name.Replace("_", "[_-]", StringComparison.Ordinal)}\s*=";
            if (!Regex.IsMatch(builder.Options ?? "", set, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                builder.Options = string.Join(' ', new[] { builder.Options, $"-c {name}={value}" }.Where(o => !string.IsNullOrWhiteSpace(o)));
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Statements each of the providers' connections keeps prepared, unless the connection string says otherwise.</summary>
    public const int ProviderMaxAutoPrepare = 32;

    // Read as plain keys (quoting and all), because Npgsql's builder answers every keyword it knows as present.
    // Npgsql takes the keyword in any case and with or without its spaces ("Max Auto Prepare", "MaxAutoPrepare").
    private static bool SaysMaxAutoPrepare(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), "maxautoprepare", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Configures the silo's clustering, grain storage (the default provider and <see cref="StorageName"/>) and
    /// reminders on PostgreSQL through the Orleans ADO.NET providers.
    /// </summary>
    /// <remarks>
    /// Grain state is stored with Orleans' own binary serializer (<see cref="OrleansGrainStorageSerializer"/>), not
    /// the ADO.NET provider's default Newtonsoft JSON: JSON embeds CLR type names (<c>$type</c>), so renaming or
    /// moving a state type makes stored state unreadable, while the binary format matches members by <c>[Id]</c> and
    /// writes no type name for a value of the declared state type. State types must be <c>[GenerateSerializer]</c>
    /// with stable <c>[Id]</c>s; give an <c>[Alias]</c> to any type stored polymorphically (a field declared as a
    /// base type or interface), since those values do carry their type's alias or name. Endpoints, cluster and
    /// service ids are left to the caller.
    /// </remarks>
    /// <param name="silo">The silo builder.</param>
    /// <param name="connectionString">The application's PostgreSQL connection string (any search path).</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder UseHelplinePostgres(this ISiloBuilder silo, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var providerConnectionString = ProviderConnectionString(connectionString);

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });

        silo.AddAdoNetGrainStorageAsDefault(storage => storage.Configure<Serializer>((options, serializer) =>
            ConfigureStorage(options, serializer, providerConnectionString)));
        silo.AddAdoNetGrainStorage(StorageName, storage => storage.Configure<Serializer>((options, serializer) =>
            ConfigureStorage(options, serializer, providerConnectionString)));

        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });

        // A database error in a grain on another silo must reach the caller as itself, so that a transient one is
        // answered as retryable: without this Orleans cannot serialize Npgsql's exceptions and the caller gets a
        // CodecNotFoundException (seen as INTERNAL_SERVER_ERROR during a PostgreSQL restart in the fault benchmark).
        silo.Services.Configure<global::Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));

        return silo;
    }

    /// <summary>
    /// Configures an external cluster client (one not hosted in a silo) to find gateways through the ADO.NET
    /// clustering table. A co-hosted client (the silo's own <c>IClusterClient</c>) needs nothing.
    /// </summary>
    /// <param name="client">The client builder.</param>
    /// <param name="connectionString">The application's PostgreSQL connection string (any search path).</param>
    /// <returns>The client builder.</returns>
    public static IClientBuilder UseHelplinePostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        var providerConnectionString = ProviderConnectionString(connectionString);
        return client.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = providerConnectionString;
        });
    }

    private static void ConfigureStorage(AdoNetGrainStorageOptions options, Serializer serializer, string connectionString)
    {
        options.Invariant = Invariant;
        options.ConnectionString = connectionString;
        options.DeleteStateOnClear = false;
        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
    }
}
