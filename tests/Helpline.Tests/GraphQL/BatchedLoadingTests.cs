using System.Diagnostics;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Orleans;
using Orleans.Runtime;

namespace Helpline.Tests.GraphQL;

/// <summary>
/// No N+1: a page of grievances with their officers (live workload), seats, places, categories, departments and
/// timelines costs the same SQL statements and grain calls for 10 rows as for 50. Counted per request: only what the
/// measured request's own resolvers run (its HTTP pipeline's async flow) is counted, so background work (projections,
/// sweeps, timers) never skews the figures.
/// </summary>
public sealed class BatchedLoadingTests : IAsyncLifetime
{
    private const int Officers = 5;
    private const int Registered = 60;

    private const string Page = """
        query($first: Int!) {
          grievances(first: $first) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges {
              cursor
              node {
                referenceNumber globalId status
                category { name department { name } }
                department { name }
                jurisdiction { name }
                position { title }
                officer { id name position { title } workload { open overdue atRisk } alerts { kind referenceNumber } }
                timeline { sequence type at actor }
              }
            }
          }
        }
        """;

    private readonly RequestCounts _counts = new();
    private TestDatabase _db = null!;
    private HelplineTestHost _host = null!;
    private ActivityListener _sql = null!;
    private string _department = null!;

    public async ValueTask InitializeAsync()
    {
        _sql = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _counts.SqlStarted,
        };
        ActivitySource.AddActivityListener(_sql);
        _db = await TestDatabase.CreateAsync();
        _host = await HelplineTestHost.StartAsync(_db.ConnectionString, configure: b =>
        {
            b.Services.AddSingleton<IStartupFilter>(new CountingScope(_counts));
            b.Services.AddSingleton<IOutgoingGrainCallFilter>(_counts);
        });

        var cats = await _host.GraphQLAsync("{ categories { id resolutionLevel departmentId } }");
        var category = cats.Get("categories").AsArray().First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!;
        _department = category["departmentId"]!.GetValue<string>();
        var tree = await _host.GraphQLAsync("{ jurisdictions { children { children { children { id kind } } } } }");
        var blocks = tree.Get("jurisdictions.0.children").AsArray()
            .SelectMany(division => division!["children"]!.AsArray())
            .SelectMany(district => district!["children"]!.AsArray())
            .Where(j => j!["kind"]!.GetValue<string>() == "BLOCK")
            .Select(j => j!["id"]!.GetValue<string>())
            .Take(Officers)
            .ToList();
        Assert.Equal(Officers, blocks.Count);

        // Round robin over the blocks (one L1 officer each), so that both pages hold grievances of every officer:
        // what is measured is the cost per row, not per distinct officer.
        var officers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Registered; i++)
        {
            var registered = await _host.GraphQLAsync(Complaints.Register, Complaints.Input($"batch-{i}", blocks[i % Officers], category["id"]!.GetValue<string>()));
            officers.Add(registered.Get("registerGrievance.officer.id").GetValue<string>());
        }

        Assert.Equal(Officers, officers.Count);

        // Timelines are read from the read model: wait until every grievance's has been projected.
        await Wait.UntilAsync(
            () => _host.GraphQLAsync("{ grievances(first: 100) { totalCount edges { node { timeline { sequence } } } } }"),
            r => r.Get("grievances.totalCount").GetValue<long>() == Registered
                 && r.Get("grievances.edges").AsArray().All(e => e!["node"]!["timeline"]!.AsArray().Count >= 2),
            "every grievance projected with its timeline");
    }

    public async ValueTask DisposeAsync()
    {
        _sql.Dispose();
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task APageOf50CostsWhatAPageOf10CostsWithGrainWorkloads()
    {
        // The auditor reaches every grievance: the officers' workloads come from their grains.
        var ten = await MeasureAsync(10, bearer: null, deactivateOfficers: true);
        var fifty = await MeasureAsync(50, bearer: null, deactivateOfficers: true);

        TestContext.Current.TestOutputHelper?.WriteLine($"grain workloads: page 10 = {ten}; page 50 = {fifty}");
        Assert.Equal(ten.Sql, fifty.Sql);
        Assert.Equal(ten.GrainCalls, fifty.GrainCalls);
        Assert.InRange(fifty.Sql, 1, 4);
        Assert.InRange(fifty.GrainCalls, 0, Officers);
    }

    [Fact]
    public async Task APageOf50CostsWhatAPageOf10CostsWithWorkloadsInScope()
    {
        // A partner limited to a department: the workloads are counted from the read model over that department.
        var partner = TestTokens.Mint(Role.Partner, "partner-batch", departments: [_department]);
        var ten = await MeasureAsync(10, partner, deactivateOfficers: false);
        var fifty = await MeasureAsync(50, partner, deactivateOfficers: false);

        TestContext.Current.TestOutputHelper?.WriteLine($"workloads in scope: page 10 = {ten}; page 50 = {fifty}");
        Assert.Equal(ten.Sql, fifty.Sql);
        Assert.Equal(ten.GrainCalls, fifty.GrainCalls);
        Assert.InRange(fifty.Sql, 1, 5);
        Assert.Equal(0, fifty.GrainCalls);
    }

    private async Task<(int Sql, int GrainCalls)> MeasureAsync(int first, string? bearer, bool deactivateOfficers)
    {
        if (deactivateOfficers)
        {
            // Officers active on this silo answer from local snapshots for free; deactivated, each must be asked.
            await _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        }

        _counts.Start();
        GraphQLResponse page;
        try
        {
            page = await _host.GraphQLAsync(Page, new { first }, bearer);
        }
        finally
        {
            _counts.Stop();
        }

        Assert.Null(page.Errors);
        var edges = page.Get("grievances.edges").AsArray();
        Assert.Equal(first, edges.Count);
        Assert.All(edges, e => Assert.True(e!["node"]!["timeline"]!.AsArray().Count >= 2));
        Assert.All(edges, e => Assert.True(e!["node"]!["officer"]!["workload"]!["open"]!.GetValue<int>() >= 1));
        return (_counts.Sql, _counts.GrainCalls);
    }

    /// <summary>
    /// What one measured request runs: the SQL statements Npgsql traces (one activity per command or batch) and the
    /// grain calls made from its resolvers. Marked by an async-local flag set at the start of the request's pipeline.
    /// </summary>
    private sealed class RequestCounts : IOutgoingGrainCallFilter
    {
        private static readonly AsyncLocal<RequestCounts?> Measured = new();
        private volatile bool _armed;
        private int _sql;
        private int _grainCalls;

        public int Sql => Volatile.Read(ref _sql);

        public int GrainCalls => Volatile.Read(ref _grainCalls);

        public void Start()
        {
            _sql = 0;
            _grainCalls = 0;
            _armed = true;
        }

        public void Stop() => _armed = false;

        public void EnterRequest()
        {
            if (_armed)
            {
                Measured.Value = this;
            }
        }

        // Npgsql also traces a physical connection's open ("CONNECT <database>"): not a statement, and it happens only
        // when the pool has no idle connection, so on a loaded machine it once made a page of 10 count one more.
        public void SqlStarted(Activity activity)
        {
            if (Measured.Value == this && !activity.OperationName.StartsWith("CONNECT ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _sql);
            }
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (Measured.Value == this)
            {
                Interlocked.Increment(ref _grainCalls);
            }

            await context.Invoke();
        }
    }

    private sealed class CountingScope(RequestCounts counts) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, rest) =>
            {
                counts.EnterRequest();
                await rest(http);
            });
            next(app);
        };
    }
}
