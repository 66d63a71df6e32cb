using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.Platform.Events;

/// <summary>A fresh database holding the event log's schema, and appends to its stream <c>test</c>, for the event log's tests.</summary>
public abstract class EventLogDatabase : IAsyncLifetime
{
    private TestDatabase _db = null!;

    protected NpgsqlDataSource Data { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        Data = _db.CreateDataSource();
        await new DatabaseMigrator(Data, [new EventsSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Data.DisposeAsync();
        await _db.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static NewEvent Event(int sequence) =>
        new(sequence, "Happened", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), $$"""{"n":{{sequence}}}""");

    protected async Task AppendCommittedAsync(string key, IReadOnlyList<NewEvent> events, CancellationToken ct)
    {
        await using var conn = await Data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await EventLog.AppendAsync(conn, tx, "test", key, events, ct);
        await tx.CommitAsync(ct);
    }
}
