using System.Diagnostics.Metrics;
using Helpline.Grievances.ReadModel;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Helpline.Grievances.Jobs;

/// <summary>
/// Meter <c>Helpline.Grievances</c>: how many grievance changes are stuck before their officers were told (or a
/// repair's read-model row was written)
/// (gauge <c>helpline.grievances.projections.stuck</c>, as last counted by the repair job or the health check), and
/// the repair's outcomes (counter <c>helpline.grievances.projection_repairs</c>, tag <c>outcome</c>: repaired or failed).
/// </summary>
internal sealed class ProjectionMetrics
{
    public const string MeterName = "Helpline.Grievances";
    private readonly Counter<long> _repairs;
    private long _stuck;

    public ProjectionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _repairs = meter.CreateCounter<long>("helpline.grievances.projection_repairs", description: "Read-model repairs of grievances, by outcome.");
        meter.CreateObservableGauge(
            "helpline.grievances.projections.stuck",
            () => Interlocked.Read(ref _stuck),
            description: "Grievances whose stored state has waited longer than the grace period for its read-model row.");
    }

    public long Stuck => Interlocked.Read(ref _stuck);

    public void ObserveStuck(long count) => Interlocked.Exchange(ref _stuck, count);

    public void Repaired(int count) => _repairs.Add(count, new KeyValuePair<string, object?>("outcome", "repaired"));

    public void Failed(int count) => _repairs.Add(count, new KeyValuePair<string, object?>("outcome", "failed"));
}

/// <summary>
/// Degraded while projection-outbox rows of grievances are older than <see cref="ReadModelRepairJob.Grace"/>: their
/// changes are stored and shown, but an officer may not hold the grievance's deadline (or a repair's row is not
/// written), so an operator must see it. Degraded, not Unhealthy: the silo still serves everything else, and the
/// repair job heals the rows once their cause is fixed.
/// </summary>
internal sealed class StuckProjectionsHealthCheck(ProjectionOutbox outbox, ProjectionMetrics metrics) : IHealthCheck
{
    public const string Name = "grievance-projections";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stuck = await outbox.CountStaleAsync(GrievanceProjection.StateName, DateTimeOffset.UtcNow - ReadModelRepairJob.Grace, cancellationToken);
        metrics.ObserveStuck(stuck);
        return stuck == 0
            ? HealthCheckResult.Healthy("Every stored grievance change is in the read model and known to its officers.")
            : HealthCheckResult.Degraded(
                $"{stuck} grievance changes have waited more than {ReadModelRepairJob.Grace.TotalSeconds:0} s for their officers to be told or their read-model row (see the read-model repair job's log).",
                data: new Dictionary<string, object> { ["stuck"] = stuck });
    }
}
