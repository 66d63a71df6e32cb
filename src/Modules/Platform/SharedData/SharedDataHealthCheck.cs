using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Helpline.Platform.SharedData;

/// <summary>
/// Unhealthy while this silo cannot apply shared-data changes: it would compute due dates and route with reference
/// data other silos have moved past, so a load balancer should stop sending it work.
/// </summary>
internal sealed class SharedDataHealthCheck(SharedDataFollower follower) : IHealthCheck
{
    public const string Name = "shared-data";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["appliedPosition"] = follower.AppliedPosition };
        var result = follower.FailingSince is { } since
            ? new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Shared-data changes cannot be applied on this silo since {since:O}: {follower.LastError}",
                data: data)
            : HealthCheckResult.Healthy("Shared reference data is current on this silo.", data);
        return Task.FromResult(result);
    }
}
