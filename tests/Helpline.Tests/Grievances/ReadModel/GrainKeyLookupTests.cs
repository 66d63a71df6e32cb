using Helpline.Grievances;
using Helpline.Grievances.ReadModel;
using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Helpline.Tests.Grievances.ReadModel;

/// <summary>
/// Finding a grievance's grain by its reference number: a silo keeps the grain keys it found (a committed row never
/// changes its key), and never keeps a number it did not find.
/// </summary>
public sealed class GrainKeyLookupTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestDatabase _db = null!;
    private NpgsqlDataSource _data = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _data = _db.CreateDataSource();
        await new DatabaseMigrator(_data, [new EventsSchema(), new GrievancesSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _data.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_grain_key_found_once_is_answered_again_without_reading_the_table()
    {
        var queries = new GrievanceQueries(_data, TimeProvider.System);
        await InsertAsync("100000000019", "grain-a");
        Assert.Equal("grain-a", await queries.GrainKeyOfAsync("100000000019", Ct));

        // Rows are never deleted; removing this one shows the second answer did not come from the table.
        await ExecuteAsync("delete from grievances.grievance where reference_number = '100000000019'");
        Assert.Equal("grain-a", await queries.GrainKeyOfAsync("100000000019", Ct));
        Assert.Null(await new GrievanceQueries(_data, TimeProvider.System).GrainKeyOfAsync("100000000019", Ct));
    }

    [Fact]
    public async Task A_reference_number_not_found_is_looked_for_again_and_found_once_committed()
    {
        var queries = new GrievanceQueries(_data, TimeProvider.System);
        Assert.Null(await queries.GrainKeyOfAsync("100000000027", Ct));

        await InsertAsync("100000000027", "grain-b");
        Assert.Equal("grain-b", await queries.GrainKeyOfAsync("100000000027", Ct));
    }

    private Task InsertAsync(string reference, string grainKey) => ExecuteAsync(
        $"""
        insert into grievances.grievance (
            reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile, jurisdiction_id,
            jurisdiction_path, category_id, department_id, description, position_id, officer_id, level, registered_at,
            breached, breached_at_top, registered_by, version, last_changed_at)
        values ('{reference}', '{grainKey}', 'Complaint', 'Open', 'Phone', 'Ramesh Kumar', '9415012345', 'district:162',
                array['district:162', 'state:9'], 'cat', 'revenue', 'x', 'POS-1', 'OFF-1', 1, now(), false, false, 'agent-1', 1, now())
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var cmd = _data.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(Ct);
    }
}
