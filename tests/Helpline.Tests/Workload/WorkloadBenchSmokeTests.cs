using Helpline.LoadTests.WorkloadBenchmark;
using Helpline.Tests.Infrastructure;

namespace Helpline.Tests.Workload;

/// <summary>
/// The workload benchmark's core (load-tests, <c>./helpline workload-bench</c>) with tiny sizes, so that a change to
/// the schema, the roster or the GraphQL it calls breaks here and not at the next benchmark run: it seeds pools and
/// grievances, waits for the start-up sweep, and measures every series with a few requests.
/// </summary>
public sealed class WorkloadBenchSmokeTests
{
    [Fact]
    public async Task The_benchmark_seeds_its_pools_and_team_and_measures_every_series()
    {
        await using var db = await TestDatabase.CreateAsync();
        var args = new WorkloadBenchArguments
        {
            AdminConnectionString = TestDatabase.AdminConnectionString,
            Officers = 200,
            Grievances = 2_000,
            Team = 20,
            TeamGrievances = 400,
            Pool = 5,
            BoardRequests = 3,
            Registrations = 3,
            Proposals = 2,
            Warmup = 1,
            RestSeconds = 0,
        };

        var report = await WorkloadBenchCommand.RunAsync(args, db.ConnectionString, _ => { });

        Assert.Equal(2_000, report.Seed.Grievances);
        Assert.Equal((20, 400), (report.Proposals.Officers, report.Proposals.Open));
        Assert.True(report.Proposals.Moves100 > 0, "an uneven team gets moves proposed");
        Assert.True(report.Proposals.SpreadAfter1000 < report.Proposals.SpreadBefore);
        Assert.True(report.Board.Officers > 0);
        Assert.Equal((3L, 3L, 3L, 3L), (report.Board.Board.Count, report.Board.DepartmentBoard.Count, report.Board.Me.Count, report.Board.MinimalBoard.Count));
        var registration = Assert.IsType<RegistrationFigures>(report.Registration);
        Assert.Equal((3L, 3L), (registration.Pool.Count, registration.Single.Count));
        Assert.Equal(3, registration.MembersChosen); // three registrations into an even pool of five: three different members
        Assert.Contains("Deadlines re-armed at start-up", report.Sweep.Message, StringComparison.Ordinal);
    }
}
