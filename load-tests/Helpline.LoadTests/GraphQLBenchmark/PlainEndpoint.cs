using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.LoadTests.GraphQLBenchmark;

/// <summary>
/// The lookup's reference (B): a plain minimal-API endpoint, <c>GET /grievances/{referenceNumber}</c>, answering the
/// fields the GraphQL query asks for from the read model's tables (<c>grievances.grievance</c> and
/// <c>grievances.timeline_event</c>, one round trip of two statements), serialized by System.Text.Json. No token, no
/// checks: the least a JSON endpoint over the same data can do.
/// </summary>
internal sealed class PlainEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _data;

    private PlainEndpoint(WebApplication app, NpgsqlDataSource data, Uri address)
    {
        _app = app;
        _data = data;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PlainEndpoint> StartAsync(string connectionString)
    {
        var data = NpgsqlDataSource.Create(connectionString);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/grievances/{referenceNumber}", async (string referenceNumber, CancellationToken ct) =>
            await ReadAsync(data, referenceNumber, ct) is { } g ? Results.Json(g) : Results.NotFound());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new PlainEndpoint(app, data, new Uri(address));
    }

    private static async Task<PlainGrievance?> ReadAsync(NpgsqlDataSource data, string referenceNumber, CancellationToken ct)
    {
        await using var batch = data.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "select reference_number, status, department_id, jurisdiction_id, level, due_at from grievances.grievance where reference_number = $1")
        { Parameters = { new NpgsqlParameter<string> { TypedValue = referenceNumber } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "select seq, type, at from grievances.timeline_event where reference_number = $1 order by seq")
        { Parameters = { new NpgsqlParameter<string> { TypedValue = referenceNumber } } });
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var g = new PlainGrievance(
            reader.GetString(0), reader.GetString(1), new PlainId(reader.GetString(2)), new PlainId(reader.GetString(3)),
            reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), []);
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            g.Timeline.Add(new PlainEvent(reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return g;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _data.DisposeAsync();
    }
}

internal sealed record PlainId(string Id);

internal sealed record PlainEvent(int Sequence, string Type, DateTimeOffset At);

internal sealed record PlainGrievance(string ReferenceNumber, string Status, PlainId Department, PlainId Jurisdiction, int Level, DateTimeOffset? DueAt, List<PlainEvent> Timeline);
