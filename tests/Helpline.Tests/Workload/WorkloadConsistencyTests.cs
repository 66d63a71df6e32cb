using System.Text.Json.Nodes;
using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace Helpline.Tests.Workload;

/// <summary>
/// Officers' workload lives in officer grains' memory and is rebuilt from the read model when a grain activates again:
/// after a restart of the service, and after the silo hosting officer grains is lost, every officer's figures equal
/// those worked out from the read model's rows (<see cref="WorkloadScenario"/>). Officers' alerts are kept in
/// PostgreSQL and survive a restart.
/// </summary>
public sealed class WorkloadConsistencyTests : HostedTest
{
    [Fact]
    public async Task After_a_restart_every_officers_workload_equals_the_read_model_and_no_alert_is_lost()
    {
        var scenario = new WorkloadScenario((q, v) => Host.GraphQLAsync(q, v), Host.Clock, Db.ConnectionString);
        await scenario.BuildAsync();
        var officers = await scenario.OfficersAsync();
        var expected = new Dictionary<string, Figures>(StringComparer.Ordinal);
        foreach (var officer in officers)
        {
            expected[officer] = await scenario.FromReadModelAsync(officer);
        }

        AssertTheMixIsThere(expected.Values);

        // Before the restart the grains agree once they have acted on every instant the clock passed.
        foreach (var officer in officers)
        {
            await Wait.UntilAsync(() => Workload(Host, officer), w => w == expected[officer], $"{officer}'s workload before the restart");
        }

        var top = (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { officer { id } level } }", new { r = scenario.A })).Get("grievance");
        var topOfficer = top["officer"]!["id"]!.GetValue<string>();
        var topLevel = top["level"]!.GetValue<int>();
        await Wait.UntilAsync(() => Alerts(Host, topOfficer), a => a.Any(x => x["kind"]!.GetValue<string>() == "ESCALATED_TO_YOU"), "the escalation alert of the top officer");
        await Wait.UntilAsync(() => Alerts(Host, scenario.L1Officer), a => a.Any(x => x["kind"]!.GetValue<string>() == "AT_RISK" && x["referenceNumber"]!.GetValue<string>() == scenario.C1), "C1's at-risk alert");
        await Wait.UntilAsync(() => Alerts(Host, scenario.L1Supervisor), a => a.Any(x => x["kind"]!.GetValue<string>() == "SUBORDINATE_AT_RISK" && x["referenceNumber"]!.GetValue<string>() == scenario.C1), "C1's alert to the supervisor");
        var escalation = (await Alerts(Host, topOfficer)).First(x => x["kind"]!.GetValue<string>() == "ESCALATED_TO_YOU" && x["referenceNumber"]!.GetValue<string>() == scenario.A);
        var a = scenario.A;
        Assert.Equal($"Grievance {a[..4]} {a[4..8]} {a[8..]} breached its due date at L{topLevel - 1} and is now yours at L{topLevel}.", escalation["message"]!.GetValue<string>());

        var alertsBefore = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var officer in officers)
        {
            alertsBefore[officer] = [.. (await Alerts(Host, officer)).Select(x => x.ToJsonString())];
        }

        await Host.StopAsync();
        await Host.StartAsync();

        foreach (var officer in officers)
        {
            // The first read after the restart: the grain is activated by it and rebuilt from the read model.
            Assert.Equal(expected[officer], await Workload(Host, officer));
            var after = (await Alerts(Host, officer)).Select(x => x.ToJsonString()).ToList();
            Assert.All(alertsBefore[officer], alert => Assert.Contains(alert, after));
        }

        Assert.Contains(alertsBefore.Values, list => list.Count > 0);
    }

    [Fact]
    public async Task After_the_silo_hosting_officer_grains_is_lost_the_survivor_reports_the_read_models_workload()
    {
        var second = await HelplineTestHost.StartAsync(Db.ConnectionString, Host.Clock);
        await using var _ = second;
        var scenario = new WorkloadScenario((q, v) => Host.GraphQLAsync(q, v), Host.Clock, Db.ConnectionString);
        await scenario.BuildAsync();
        var officers = await scenario.OfficersAsync();
        var expected = new Dictionary<string, Figures>(StringComparer.Ordinal);
        foreach (var officer in officers)
        {
            expected[officer] = await scenario.FromReadModelAsync(officer);
            await Wait.UntilAsync(() => Workload(second, officer), w => w == expected[officer], $"{officer}'s workload before the loss");
        }

        AssertTheMixIsThere(expected.Values);

        // Lose the silo that hosts more of the officer grains, without a graceful shutdown; read on the other.
        var onFirst = await OfficerGrainsOn(Host, officers);
        var onSecond = await OfficerGrainsOn(second, officers);
        TestContext.Current.SendDiagnosticMessage($"officer grains: {onFirst} on the first silo, {onSecond} on the second");
        var (lost, survivor) = onFirst >= onSecond ? (Host, second) : (second, Host);
        Assert.True(Math.Max(onFirst, onSecond) > 0, "no officer grain was found on either silo");
        await lost.StopAbruptlyAsync();

        foreach (var officer in officers)
        {
            // Calls to grains of the lost silo fail until membership declares it dead; the first answer must be exact.
            var figures = await Wait.UntilAsync(() => TryWorkload(survivor, officer), w => w is not null, $"{officer}'s workload on the surviving silo");
            Assert.Equal(expected[officer], figures);
        }
    }

    private static void AssertTheMixIsThere(IEnumerable<Figures> all)
    {
        var list = all.ToList();
        Assert.True(list.Sum(f => f.Overdue) >= 1 && list.Sum(f => f.AtRisk) >= 2 && list.Sum(f => f.OnHold) >= 1 && list.Sum(f => f.DueToday) >= 1
            && list.Sum(f => f.DisposedLast7Days ?? 0) >= 1 && list.Sum(f => f.Open) >= 5, "the scenario's mix: " + string.Join(" | ", list));
    }

    private static async Task<Figures> Workload(HelplineTestHost host, string officer) =>
        WorkloadScenario.FromGraphQL((await host.GraphQLAsync(WorkloadScenario.WorkloadDocument, new { o = officer })).Get("officer.workload"));

    private static async Task<Figures?> TryWorkload(HelplineTestHost host, string officer)
    {
        var r = await host.GraphQLAsync(WorkloadScenario.WorkloadDocument, new { o = officer });
        return r.Errors is { Count: > 0 } ? null : WorkloadScenario.FromGraphQL(r.Get("officer.workload"));
    }

    private static async Task<IReadOnlyList<JsonNode>> Alerts(HelplineTestHost host, string officer) =>
        [.. (await host.GraphQLAsync(WorkloadScenario.AlertsDocument, new { o = officer })).Get("officer.alerts").AsArray().Select(x => x!)];

    private static async Task<int> OfficerGrainsOn(HelplineTestHost host, IReadOnlyList<string> officers)
    {
        var here = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var stats = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(hostsIds: [here]);
        return stats.Count(s => s.GrainId.Type.ToString() == "officer" && officers.Contains(s.GrainId.Key.ToString()!));
    }
}
