using System.Collections.Concurrent;
using System.Globalization;
using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.ReadModel;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Officers.Workload;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Helpline.Tests.Infrastructure;

/// <summary>
/// One in-process silo running the real OfficerGrain and GrievanceGrain, with the services the host gives them
/// (TimeProvider, catalogue, routing, directory, allocator, projection, caseload, grain storage) replaced by small
/// in-memory fakes. A FakeTimeProvider is the silo's default TimeProvider, so grain timers and SLA clocks follow it;
/// Orleans' own background work stays on real time. Each test class gets its own cluster and clock; tests in a
/// class share them, so they use their own officers and grievance keys (<see cref="NewId"/>).
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 4, 30, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public InMemoryReadModel ReadModel { get; } = new();

    public FlakyGrainStorage Storage { get; } = new();

    public CountingAllocator Allocator { get; } = new();

    public DueDateProbe Probe { get; private set; } = null!;

    /// <summary>Calls that grains have made and not yet seen answered (see <see cref="OfficerCallsSettledAsync"/>).</summary>
    public OutgoingCalls Outgoing { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public IOfficerGrain Officer(string officerId) => Client.GetGrain<IOfficerGrain>(officerId);

    /// <summary>A service of the (only) silo.</summary>
    public T SiloService<T>()
        where T : notnull => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<T>();

    /// <summary>
    /// Waits until the officer's queued timer ticks have run (<see cref="IOfficerGrain.Arm"/> does not interleave with
    /// them) and every call they started has been answered: officer grains tell grievances without holding their turn.
    /// </summary>
    public async Task OfficerCallsSettledAsync(string officerId)
    {
        await Officer(officerId).Arm();
        await Wait.UntilAsync(() => Task.FromResult(Outgoing.PendingFromOfficers), n => n == 0, "the officers' calls to be answered");
    }

    public async ValueTask InitializeAsync()
    {
        Probe = new DueDateProbe(Clock);
        var world = new TestWorld();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            var services = silo.Services;
            services.AddSingleton<TimeProvider>(Clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.AddSingleton<ICatalogue>(world);
            services.AddSingleton<IRoutingService>(world);
            services.AddSingleton<IOfficerDirectory>(world);
            services.AddSingleton<IPoolAssignment>(sp => new Helpline.Workload.Pools.PoolAssignment(sp.GetRequiredService<IGrainFactory>()));
            services.AddSingleton<IJurisdictionDirectory>(world);
            services.AddSingleton<Helpline.Sla.ISlaEngine>(new CalendarDaysSlaEngine(world));
            services.AddSingleton<IReferenceNumberAllocator>(Allocator);
            services.AddSingleton<Helpline.Platform.SharedData.ISharedData>(new FakeSharedData());
            services.AddSingleton(new Helpline.Grievances.Grains.GrievanceClockSettings(Helpline.Grievances.Domain.Lifecycle.RecategorisationClock.FromLevelStart));
            services.AddSingleton<IGrievanceProjection>(ReadModel);
            services.AddSingleton(new Helpline.Grievances.Grains.RegistrationChecks(new Helpline.Grievances.Desk.DeskSettings(0)));
            services.AddSingleton<IOfficerCaseload>(ReadModel);
            services.AddSingleton<LocalOfficerSnapshots>();
            services.AddSingleton<FiringGate>();
            services.AddSingleton<IOfficerWorkloads, OfficerWorkloads>();
            services.AddGrainStorage(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => Storage.Using(sp.GetRequiredService<Serializer>()));
            services.AddGrainStorage(Helpline.Platform.Orleans.HelplineOrleansPostgres.StorageName, (sp, _) => Storage.Using(sp.GetRequiredService<Serializer>()));
            services.AddGrainStorage(Helpline.Grievances.Grains.GrievanceStateStorage.Name, (sp, _) => Storage.Using(sp.GetRequiredService<Serializer>()).Projecting(ReadModel));
            silo.AddIncomingGrainCallFilter(Probe);
            silo.AddOutgoingGrainCallFilter(Outgoing);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync(TestContext.Current.CancellationToken);

        var silo = Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress);
        if (!ReferenceEquals(silo.GetRequiredKeyedService<IGrainStorage>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME), Storage)
            || !ReferenceEquals(silo.GetRequiredService<TimeProvider>(), Clock))
        {
            throw new InvalidOperationException("The test cluster did not take the test's grain storage or clock.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync(CancellationToken.None);
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// Stands in for the grievance side of <see cref="IDueDateHandler"/>: records every OnDueDatePassed call that
/// reaches a grain in the silo, and answers calls to keys starting <see cref="Prefix"/> itself (the grievance grain
/// is not invoked), failing as many times as told. Calls to other keys go on to the real grievance grain.
/// It can also make the next calls of any method on any grain fail before they reach the grain.
/// </summary>
public sealed class DueDateProbe(TimeProvider clock) : IIncomingGrainCallFilter
{
    public const string Prefix = "probe:";

    private readonly ConcurrentQueue<DueDateCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, string Method), int> _callFailuresLeft = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);

    public static string NewKey() => Prefix + Guid.NewGuid().ToString("N");

    /// <summary>The probe's own answer for <paramref name="key"/> fails the next <paramref name="times"/> times.</summary>
    public void FailNext(string key, int times) => _failuresLeft[key] = times;

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> on the grain keyed <paramref name="key"/> fail before reaching it.</summary>
    public void FailNextCalls(string key, string method, int times = 1) => _callFailuresLeft[(key, method)] = times;

    public IReadOnlyList<DueDateCall> CallsTo(string key) => _calls.Where(c => c.Key == key).ToList();

    /// <summary>
    /// OnDueDatePassed calls to <paramref name="key"/> (recorded on arrival) wait, as if its grain were on a silo that
    /// died, until <see cref="Unhold"/>; then they go on as usual (to the real grain, or answered by the probe).
    /// </summary>
    public void Hold(string key) => _held[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held calls to <paramref name="key"/> go on, and later ones pass.</summary>
    public void Unhold(string key)
    {
        if (_held.TryRemove(key, out var gate))
        {
            gate.SetResult();
        }
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var target = (context.TargetId.Key.ToString()!, context.MethodName);
        if (_callFailuresLeft.TryGetValue(target, out var callFailures) && callFailures > 0)
        {
            _callFailuresLeft[target] = callFailures - 1;
            throw new InvalidOperationException($"{context.MethodName} on {context.TargetId} fails as told.");
        }

        if (context.MethodName != nameof(IDueDateHandler.OnDueDatePassed))
        {
            await context.Invoke();
            return;
        }

        var key = context.TargetId.Key.ToString()!;
        var dueAt = (DateTimeOffset)context.Request.GetArgument(0)!;
        var fromOfficer = context.SourceId is { } source && source.Type.ToString()!.Contains("officer", StringComparison.OrdinalIgnoreCase);
        _calls.Enqueue(new DueDateCall(key, dueAt, clock.GetUtcNow(), fromOfficer));
        if (_held.TryGetValue(key, out var gate))
        {
            await gate.Task;
        }

        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            await context.Invoke();
            return;
        }

        if (_failuresLeft.TryGetValue(key, out var left) && left > 0)
        {
            _failuresLeft[key] = left - 1;
            throw new InvalidOperationException($"Probe handler for {key} fails as told ({left - 1} failures left).");
        }

        // Answered here instead of by the grain: a filter that does not invoke must set the response itself.
        context.Response = Orleans.Serialization.Invocation.Response.Completed;
    }
}

/// <summary>Counts calls made by officer grains that have not completed yet (an outgoing filter runs in the caller).</summary>
public sealed class OutgoingCalls : IOutgoingGrainCallFilter
{
    private int _pending;

    public int PendingFromOfficers => Volatile.Read(ref _pending);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var fromOfficer = context.SourceId is { } source && source.Type.ToString()!.Contains("officer", StringComparison.OrdinalIgnoreCase);
        if (!fromOfficer)
        {
            await context.Invoke();
            return;
        }

        Interlocked.Increment(ref _pending);
        try
        {
            await context.Invoke();
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}

/// <summary>One OnDueDatePassed call: to which grain, with which due date, at which (fake) time, and whether an officer grain made it.</summary>
public sealed record DueDateCall(string Key, DateTimeOffset DueAt, DateTimeOffset At, bool FromOfficer);

/// <summary>
/// Grain storage in memory that stores a serialized copy (as the ADO.NET provider does, so the grain's in-memory
/// state and the stored state are separate objects), numbers versions 1, 2, 3... as ETags, checks ETags, and can
/// be told to fail the next writes of a grain.
/// </summary>
public sealed class FlakyGrainStorage : IGrainStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string State, GrainId Grain), (byte[] Data, int Version)> _rows = [];
    private readonly Dictionary<string, int> _failuresLeft = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _writes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reads = new(StringComparer.Ordinal);
    private Serializer? _serializer;
    private InMemoryReadModel? _readModel;

    public FlakyGrainStorage Using(Serializer serializer)
    {
        _serializer ??= serializer;
        return this;
    }

    /// <summary>
    /// A registered grievance's state written here is also written to <paramref name="readModel"/> at its new version,
    /// as the service's grievance storage writes both in one transaction.
    /// </summary>
    public FlakyGrainStorage Projecting(InMemoryReadModel readModel)
    {
        _readModel ??= readModel;
        return this;
    }

    /// <summary>The next <paramref name="times"/> writes of the grain with this string key throw.</summary>
    public void FailNextWrites(string grainKey, int times = 1)
    {
        lock (_gate)
        {
            _failuresLeft[grainKey] = times;
        }
    }

    /// <summary>Successful writes of the grain with this string key.</summary>
    public int WritesOf(string grainKey)
    {
        lock (_gate)
        {
            return _writes.GetValueOrDefault(grainKey);
        }
    }

    /// <summary>Reads of the grain with this string key: one each time an activation of it starts.</summary>
    public int ReadsOf(string grainKey)
    {
        lock (_gate)
        {
            return _reads.GetValueOrDefault(grainKey);
        }
    }

    /// <summary>The stored state of a grain, read back from its serialized copy, or default when none is stored.</summary>
    public T? Stored<T>(string stateName, GrainId grainId)
    {
        lock (_gate)
        {
            return _rows.TryGetValue((stateName, grainId), out var row) ? _serializer!.Deserialize<T>(row.Data) : default;
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate)
        {
            var key = grainId.Key.ToString()!;
            _reads[key] = _reads.GetValueOrDefault(key) + 1;
            if (_rows.TryGetValue((stateName, grainId), out var row))
            {
                grainState.State = _serializer!.Deserialize<T>(row.Data);
                grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString()!;
        lock (_gate)
        {
            if (_failuresLeft.TryGetValue(key, out var left) && left > 0)
            {
                _failuresLeft[key] = left - 1;
                throw new InvalidOperationException($"Injected storage failure writing {stateName} of {grainId}.");
            }

            var current = _rows.TryGetValue((stateName, grainId), out var row) ? row.Version.ToString(CultureInfo.InvariantCulture) : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {grainId}: stored {current}, grain has {grainState.ETag}.", current, grainState.ETag);
            }

            var version = (row.Data is null ? 0 : row.Version) + 1;
            _rows[(stateName, grainId)] = (_serializer!.SerializeToArray(grainState.State), version);
            _writes[key] = _writes.GetValueOrDefault(key) + 1;
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            if (_readModel is not null && grainState.State is Helpline.Grievances.Grains.GrievanceState grievance
                && Helpline.Grievances.Domain.Lifecycle.GrievanceLifecycle.IsRegistered(grievance))
            {
                _readModel.Put(key, Helpline.Grievances.Domain.Lifecycle.GrievanceView.Of(grievance), version);
            }
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate)
        {
            _rows.Remove((stateName, grainId));
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// The grievance read model in memory: the projection writes rows (an older version never overwrites a newer one,
/// as in PostgreSQL), and officers rebuild their caseload from those rows plus any rows a test seeds directly.
/// </summary>
public sealed class InMemoryReadModel : IGrievanceProjection, IOfficerCaseload
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Grievance Grievance, int Version)> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TrackedGrievance>> _seeded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _acknowledged = new(StringComparer.Ordinal);

    public (Grievance Grievance, int Version)? Row(string grainKey)
    {
        lock (_gate)
        {
            return _rows.TryGetValue(grainKey, out var row) ? row : null;
        }
    }

    /// <summary>Adds a caseload entry for an officer as if the read model held it (for officer grains activated later).</summary>
    public void Seed(string officerId, TrackedGrievance grievance)
    {
        lock (_gate)
        {
            if (!_seeded.TryGetValue(officerId, out var list))
            {
                _seeded[officerId] = list = [];
            }

            list.Add(grievance);
        }
    }

    /// <summary>Writes the row at <paramref name="version"/> unless a newer one is there.</summary>
    public void Put(string grainKey, Grievance grievance, int version)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(grainKey, out var row) || row.Version < version)
            {
                _rows[grainKey] = (grievance, version);
            }
        }
    }

    Task<int> IGrievanceProjection.WriteWithStateAsync(GrievanceStateWrite state, Grievance grievance, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Grain tests store grievance state through FlakyGrainStorage, which writes this read model.");

    /// <summary>The highest version of the grain's outbox entry acknowledged so far, or null.</summary>
    public int? AcknowledgedVersion(string grainKey)
    {
        lock (_gate)
        {
            return _acknowledged.TryGetValue(grainKey, out var version) ? version : null;
        }
    }

    Task IGrievanceProjection.WriteAsync(string grainKey, Grievance grievance, int version, CancellationToken cancellationToken)
    {
        Put(grainKey, grievance, version);
        ((IGrievanceProjection)this).Acknowledge(grainKey, version);
        return Task.CompletedTask;
    }

    Task IGrievanceProjection.AcknowledgeAsync(string grainKey, int version, CancellationToken cancellationToken)
    {
        ((IGrievanceProjection)this).Acknowledge(grainKey, version);
        return Task.CompletedTask;
    }

    void IGrievanceProjection.Acknowledge(string grainKey, int version)
    {
        lock (_gate)
        {
            _acknowledged[grainKey] = Math.Max(version, _acknowledged.GetValueOrDefault(grainKey));
        }
    }

    Task<IReadOnlyList<IReadOnlyList<TrackedGrievance>>> IOfficerCaseload.OpenGrievancesOfAsync(IReadOnlyList<string> officerIds, Helpline.Platform.Access.CallerScope scope, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Grain tests do not read workloads through a scope.");

    Task<IReadOnlyList<(string GrievanceKey, DateTimeOffset At)>> IOfficerCaseload.DisposalsOfAsync(string officerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var recent = _rows
                .Where(r => r.Value.Grievance.OfficerId == officerId
                    && r.Value.Grievance.Status is GrievanceStatus.Resolved or GrievanceStatus.Rejected
                    && r.Value.Grievance.ClosedAt >= since)
                .Select(r => (r.Key, r.Value.Grievance.ClosedAt!.Value))
                .ToList();
            return Task.FromResult<IReadOnlyList<(string GrievanceKey, DateTimeOffset At)>>(recent);
        }
    }

    Task<IReadOnlySet<string>> IOfficerCaseload.VisibleAsync(IReadOnlyCollection<string> referenceNumbers, Helpline.Platform.Access.CallerScope scope, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Grain tests do not read through a scope.");

    Task<IReadOnlyList<TrackedGrievance>> IOfficerCaseload.OpenGrievancesOfAsync(string officerId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var open = _rows
                .Where(r => r.Value.Grievance.OfficerId == officerId && r.Value.Grievance.Status == GrievanceStatus.Open && r.Value.Grievance.DueAt is not null)
                .Select(r => new TrackedGrievance(r.Key, r.Value.Grievance.ReferenceNumber, r.Value.Grievance.DueAt!.Value, !r.Value.Grievance.BreachedAtTop))
                .Concat(_seeded.GetValueOrDefault(officerId) ?? [])
                .ToList();
            return Task.FromResult<IReadOnlyList<TrackedGrievance>>(open);
        }
    }
}

/// <summary>Serials 1, 2, 3... counting how many were handed out.</summary>
public sealed class CountingAllocator : IReferenceNumberAllocator
{
    private long _last;

    public long Allocated => Interlocked.Read(ref _last);

    public ValueTask<long> NextAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Interlocked.Increment(ref _last));
}

/// <summary>
/// A small catalogue, routing map and officer directory. Each grievance is raised in its own "place" (any id), so
/// tests get officers of their own: the seat of department D at level n for place P is <c>D@L{n}:{P}</c>, held by
/// officer <c>OFF-D-L{n}-{P}</c>. Water has five seats in its chain (one above L4), roads only two.
/// </summary>
public sealed class TestWorld : ICatalogue, IRoutingService, IOfficerDirectory, IJurisdictionDirectory
{
    // Every place is a tree of its own (forwarding stays within a grievance's tree).
    IReadOnlyList<Jurisdiction> IJurisdictionDirectory.Roots => [];

    Jurisdiction? IJurisdictionDirectory.Find(string id) => new(id, id, JurisdictionKind.District, null, null);

    IReadOnlyList<Jurisdiction> IJurisdictionDirectory.ChildrenOf(string id) => [];

    IReadOnlyList<Jurisdiction> IJurisdictionDirectory.PathToRoot(string id) => [new Jurisdiction(id, id, JurisdictionKind.District, null, null)];

    bool IJurisdictionDirectory.IsWithin(string id, string ancestorId) => id == ancestorId;

    public const string WaterCategory = "water-no-supply";
    public const string RoadsCategory = "roads-pothole";
    public const string NowhereJurisdiction = "nowhere";

    public static readonly SlaPolicy WaterSla = new([2, 3, 4, 5]);
    public static readonly SlaPolicy RoadsSla = new([1, 2, 3, 4]);

    private static readonly Dictionary<string, int> ChainLength = new(StringComparer.Ordinal) { ["water"] = 5, ["roads"] = 2 };

    public IReadOnlyList<Department> Departments { get; } =
    [
        new("roads", "Public Works (Roads)", null, new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Block] = "Junior Engineer", [JurisdictionKind.District] = "Executive Engineer" }),
        new("water", "Jal Nigam", null, new Dictionary<JurisdictionKind, string> { [JurisdictionKind.Block] = "Assistant Engineer", [JurisdictionKind.District] = "Executive Engineer" }),
    ];

    public IReadOnlyList<Category> Categories { get; } =
    [
        new(RoadsCategory, "Pothole not repaired", "roads", JurisdictionKind.Block, RoadsSla, "test"),
        new(WaterCategory, "No piped water supply", "water", JurisdictionKind.Block, WaterSla, "test"),
    ];

    public static string PositionOf(string department, int level, string place) => $"{department}@L{level}:{place}";

    public static string OfficerOf(string department, int level, string place) => $"OFF-{department}-L{level}-{place}";

    public Department? FindDepartment(string id) => Departments.FirstOrDefault(d => d.Id == id);

    public Category? FindCategory(string id) => Categories.FirstOrDefault(c => c.Id == id);

    public bool IsRetired(string categoryId) => false;

    public Assignment Route(string categoryId, string jurisdictionId)
    {
        var category = FindCategory(categoryId) ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category '{categoryId}'.", "input.categoryId");
        if (jurisdictionId == NowhereJurisdiction)
        {
            throw new HelplineException(OfficerErrorCodes.NoRoute, $"No seat for {categoryId} in {jurisdictionId}.", "input.jurisdictionId");
        }

        return Seat(category.DepartmentId, 1, jurisdictionId);
    }

    Position IRoutingService.Seat(string categoryId, string jurisdictionId) => Route(categoryId, jurisdictionId).Position;

    public Assignment? SupervisorOf(string positionId) =>
        Parse(positionId) is { } seat && seat.Level < ChainLength[seat.Department] ? Seat(seat.Department, seat.Level + 1, seat.Place) : null;

    public Officer? FindOfficer(string officerId) => null;

    public Position? FindPosition(string positionId) => Parse(positionId) is { } seat ? Seat(seat.Department, seat.Level, seat.Place).Position : null;

    public Officer? HolderOf(string positionId) => Parse(positionId) is { } seat ? Seat(seat.Department, seat.Level, seat.Place).Officer : null;

    public Officer? PostedHolderOf(string positionId) => HolderOf(positionId);

    public IReadOnlyList<PoolMember> MembersOf(string positionId) =>
        HolderOf(positionId) is { } holder ? [new PoolMember(holder, holder.Capacity ?? PoolDefaults.Capacity, false)] : [];

    public bool Serves(string officerId, string positionId) => HolderOf(positionId)?.Id == officerId;

    public IReadOnlyList<Position> PositionsAt(string jurisdictionId) => [];

    public IReadOnlyList<Position> SubordinatesOf(string positionId) => [];

    private static Assignment Seat(string department, int level, string place)
    {
        var supervisor = level < ChainLength[department] ? PositionOf(department, level + 1, place) : null;
        var position = new Position(PositionOf(department, level, place), $"{department} seat L{level}", department, place, supervisor);
        return new Assignment(position, new Officer(OfficerOf(department, level, place), $"Officer L{level}", "9999900000", position.Id));
    }

    private static (string Department, int Level, string Place)? Parse(string positionId)
    {
        var at = positionId.IndexOf("@L", StringComparison.Ordinal);
        var colon = positionId.IndexOf(':', at + 2);
        return at > 0 && colon > at && ChainLength.ContainsKey(positionId[..at])
            ? (positionId[..at], int.Parse(positionId[(at + 2)..colon], CultureInfo.InvariantCulture), positionId[(colon + 1)..])
            : null;
    }
}

/// <summary>
/// An SLA engine for grain tests: the catalogue's calendar days per level, no holidays or calendars, warning at 75%.
/// The real engine's arithmetic is covered by the Sla tests; here only the grains' use of it matters.
/// </summary>
public sealed class CalendarDaysSlaEngine(ICatalogue catalogue) : Helpline.Sla.ISlaEngine
{
    public Helpline.Sla.SlaEffectivePolicy GetPolicy(string categoryId, int level)
    {
        var category = catalogue.FindCategory(categoryId) ?? throw new HelplineException(CatalogueErrorCodes.UnknownCategory, categoryId, "categoryId");
        return new(categoryId, Math.Min(level, 4), new Helpline.Sla.SlaAllowance(Helpline.Sla.SlaUnit.CalendarDays, category.Sla.DaysAt(level)), 0.75m, Helpline.Sla.SlaPolicySource.CatalogueDefault);
    }

    public Helpline.Sla.SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start) => Compute(categoryId, level, jurisdictionId, start, []);

    public Helpline.Sla.SlaComputation Compute(string categoryId, int level, string jurisdictionId, DateTimeOffset start, IReadOnlyList<Helpline.Sla.SlaPause> pauses)
    {
        var policy = GetPolicy(categoryId, level);
        var allowed = TimeSpan.FromDays(policy.Allowance.Amount);
        var paused = pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + (p.To - p.From));
        var due = start + allowed + paused;
        var atRisk = start + (allowed * 0.75) + paused;
        var explanation = new Helpline.Sla.SlaExplanation(
            categoryId, level, policy.Level, policy.Source, policy.Allowance, policy.WarningShare, jurisdictionId,
            Helpline.Sla.WorkingCalendar.Default, null, "IST (UTC+05:30)", start, start, allowed, [], [], due, atRisk, "test engine");
        return new Helpline.Sla.SlaComputation(due, atRisk, explanation);
    }

    public TimeSpan WorkingTimeBetween(string jurisdictionId, Helpline.Sla.SlaUnit unit, DateTimeOffset from, DateTimeOffset to) => to > from ? to - from : TimeSpan.Zero;

    public DateTimeOffset Add(string jurisdictionId, Helpline.Sla.SlaUnit unit, DateTimeOffset start, TimeSpan duration) => start + duration;

    public DateTimeOffset Extend(string jurisdictionId, Helpline.Sla.SlaUnit unit, DateTimeOffset due, DateTimeOffset pausedAt, DateTimeOffset resumedAt) =>
        pausedAt >= due ? due : due + (resumedAt - pausedAt);

    public Helpline.Sla.WorkingCalendar CalendarFor(string jurisdictionId) => Helpline.Sla.WorkingCalendar.Default;

    public IReadOnlyList<Helpline.Sla.Holiday> HolidaysFor(string jurisdictionId, DateOnly from, DateOnly to) => [];
}
