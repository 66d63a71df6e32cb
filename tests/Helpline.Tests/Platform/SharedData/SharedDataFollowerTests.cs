using Helpline.Platform.Database;
using Helpline.Platform.Events;
using Helpline.Platform.SharedData;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Tests.Platform.SharedData;

/// <summary>
/// Every silo follows the shared-data changes: each one reloads the areas a change names, in area order, once per
/// change read; a silo that starts later misses nothing; a caller can wait until its silo has everything committed
/// so far; and a silo that cannot reload says so through its health check and recovers.
/// </summary>
public sealed class SharedDataFollowerTests : IAsyncLifetime
{
    private static readonly SharedDataOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100) };

    private TestDatabase _db = null!;
    private NpgsqlDataSource _data = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _data = _db.CreateDataSource();
        await new DatabaseMigrator(_data, [new EventsSchema()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _data.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Both_silos_reload_what_a_change_names_in_area_order_and_a_late_silo_misses_nothing()
    {
        var (oneLog, twoLog) = (new List<string>(), new List<string>());
        var one = await StartAsync(oneLog);
        var two = await StartAsync(twoLog);

        // One transaction changing two areas, listed roster first: reloaded in area order, jurisdictions first.
        await PublishAsync(("roster", "seats added"), ("jurisdictions", "city added"));
        await one.Follower.CatchUpAsync(Ct);
        await two.Follower.CatchUpAsync(Ct);
        Assert.Equal(["jurisdictions", "roster"], Snapshot(oneLog));
        Assert.Equal(["jurisdictions", "roster"], Snapshot(twoLog));

        // A change to one area reloads only that area; the position reached is the log's head.
        await PublishAsync(("sla", "holiday added"));
        await one.Follower.CatchUpAsync(Ct);
        Assert.Equal(["jurisdictions", "roster", "sla"], Snapshot(oneLog));
        Assert.Equal(await HeadAsync(), one.Follower.AppliedPosition);
        Assert.Equal(["sla"], (await ReadChangesAsync()).Skip(2).Select(c => c.Area));
        Assert.Equal([("roster", 1), ("jurisdictions", 1), ("sla", 1)], (await ReadChangesAsync()).Select(c => (c.Area, c.Version)));

        // A silo started now loads everything at start (its loaders) and then only what changes after.
        var lateLog = new List<string>();
        var late = await StartAsync(lateLog);
        await late.Follower.CatchUpAsync(Ct);
        Assert.Empty(Snapshot(lateLog));
        await PublishAsync(("sla", "policy set"));
        await Wait.UntilAsync(() => Task.FromResult(Snapshot(lateLog)), l => l.SequenceEqual(["sla"]), "the late silo's reload of sla");
        Assert.Equal(2, (await ReadChangesAsync()).Count(c => c.Area == "sla"));

        foreach (var silo in new[] { one, two, late })
        {
            await silo.Follower.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task A_silo_skips_reloading_a_change_its_area_already_holds_and_reloads_one_it_does_not()
    {
        var (oneLog, twoLog) = (new List<string>(), new List<string>());
        var oneRoster = new TrackingArea("roster", _data, oneLog);

        // Silo one polls only when asked to catch up, so that it cannot read the change below between its store and
        // its read back (then it would rightly reload it). Its first poll is past once it has caught up with a change.
        var one = await StartAsync(oneLog, options: new SharedDataOptions { PollInterval = TimeSpan.FromMinutes(10), MaxBackoff = Fast.MaxBackoff }, roster: oneRoster);
        var two = await StartAsync(twoLog, roster: new TrackingArea("roster", _data, twoLog));
        await PublishAsync(("jurisdictions", "city added"));
        await one.Follower.CatchUpAsync(Ct);
        await two.Follower.CatchUpAsync(Ct);
        Clear(oneLog);
        Clear(twoLog);

        // Silo one stores a change and reads the area back at once, as a registry does: it holds the change already.
        await PublishAsync(("roster", "seats added"));
        await oneRoster.RefreshAsync(Ct);
        Assert.Equal(await HeadAsync(), oneRoster.HeldThrough);
        await one.Follower.CatchUpAsync(Ct);
        await two.Follower.CatchUpAsync(Ct);
        Assert.Equal(["roster"], Snapshot(oneLog)); // its own read back only
        Assert.Equal(["roster"], Snapshot(twoLog)); // the follower's reload

        // A change stored elsewhere is not held: both reload it, and only the area that changed.
        await PublishAsync(("roster", "officer posted"), ("sla", "holiday added"));
        await one.Follower.CatchUpAsync(Ct);
        await two.Follower.CatchUpAsync(Ct);
        Assert.Equal(["roster", "sla", "roster"], Snapshot(oneLog));
        Assert.Equal(["roster", "sla", "roster"], Snapshot(twoLog));
        Assert.Equal(await HeadAsync(), oneRoster.HeldThrough);

        await one.Follower.StopAsync(Ct);
        await two.Follower.StopAsync(Ct);
    }

    [Fact]
    public async Task A_silo_that_cannot_reload_is_unhealthy_catching_up_fails_with_a_retryable_error_and_it_recovers()
    {
        var log = new List<string>();
        var failing = true;
        var silo = await StartAsync(log, options: new SharedDataOptions { PollInterval = Fast.PollInterval, MaxBackoff = Fast.MaxBackoff, CatchUpTimeout = TimeSpan.FromMilliseconds(300) }, fail: () => failing);
        var health = new SharedDataHealthCheck(silo.Follower);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(SharedDataHealthCheck.Name, health, HealthStatus.Unhealthy, null) };
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(context, Ct)).Status);

        await PublishAsync(("catalogue", "categories imported"));
        await Assert.ThrowsAsync<SharedDataBehindException>(() => silo.Follower.CatchUpAsync(Ct));
        var unhealthy = await Wait.UntilAsync(() => health.CheckHealthAsync(context, Ct), r => r.Status == HealthStatus.Unhealthy, "the health check to report the failing reload");
        Assert.Contains("catalogue is down", unhealthy.Description, StringComparison.Ordinal);

        failing = false;
        await silo.Follower.CatchUpAsync(Ct);
        Assert.Equal(await HeadAsync(), silo.Follower.AppliedPosition);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(context, Ct)).Status);
        await silo.Follower.StopAsync(Ct);
    }

    private static void Clear(List<string> log)
    {
        lock (log)
        {
            log.Clear();
        }
    }

    private static List<string> Snapshot(List<string> log)
    {
        lock (log)
        {
            return [.. log];
        }
    }

    private async Task<(SharedDataFollower Follower, IReadOnlyList<ISharedDataArea> Areas)> StartAsync(
        List<string> log, SharedDataOptions? options = null, Func<bool>? fail = null, ISharedDataArea? roster = null)
    {
        ISharedDataArea[] areas = [roster ?? new RecordingArea("roster", 30, log, null), new RecordingArea("sla", 25, log, null), new RecordingArea("catalogue", 20, log, fail), new RecordingArea("jurisdictions", 10, log, null)];
        var follower = new SharedDataFollower(_data, areas, Options.Create(options ?? Fast), NullLogger<SharedDataFollower>.Instance);
        await follower.LoadAsync(Ct);
        await follower.StartAsync(Ct);
        return (follower, areas);
    }

    private async Task PublishAsync(params (string Area, string Change)[] changes)
    {
        await using var connection = await _data.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        foreach (var (area, change) in changes)
        {
            await SharedDataChanges.PublishAsync(connection, transaction, area, change, DateTimeOffset.UtcNow, Ct);
        }

        await transaction.CommitAsync(Ct);
    }

    private Task<long> HeadAsync() => _data.ScalarAsync<long>("select last_position from events.log_head");

    private async Task<List<SharedDataChanged>> ReadChangesAsync()
    {
        await using var connection = await _data.OpenConnectionAsync(Ct);
        var events = await EventStore.ReadAfterAsync(connection, new Checkpoint("0", 0), 100, Ct);
        return [.. events.Where(e => e.Stream == SharedDataChanges.Stream).Select(SharedDataChanges.Read)];
    }

    /// <summary>An area that reads what it holds through, like the roster: in the repeatable-read transaction of its read.</summary>
    private sealed class TrackingArea(string name, NpgsqlDataSource data, List<string> log) : ISharedDataArea
    {
        private long _heldThrough = -1;

        public string Area => name;

        public int Order => 30;

        public long HeldThrough => Interlocked.Read(ref _heldThrough);

        public async Task RefreshAsync(CancellationToken cancellationToken)
        {
            await using var connection = await data.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            Interlocked.Exchange(ref _heldThrough, await SharedDataChanges.ReadSeenThroughAsync(connection, transaction, cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            lock (log)
            {
                log.Add(name);
            }
        }
    }

    private sealed class RecordingArea(string name, int order, List<string> log, Func<bool>? fail) : ISharedDataArea
    {
        public string Area => name;

        public int Order => order;

        public Task RefreshAsync(CancellationToken cancellationToken)
        {
            if (fail?.Invoke() == true)
            {
                throw new InvalidOperationException($"{name} is down");
            }

            lock (log)
            {
                log.Add(name);
            }

            return Task.CompletedTask;
        }
    }
}
