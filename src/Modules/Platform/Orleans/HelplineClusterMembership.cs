using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Helpline.Platform.Orleans;

/// <summary>
/// How fast the silos of a Helpline cluster notice that one of them died, and why it is still safe.
/// </summary>
/// <remarks>
/// <para>
/// Until a dead silo is declared dead, its grains (officers with their live deadlines, grievances) cannot be activated
/// anywhere else, so every deadline they hold is late by at least the detection time. Orleans 10 probes each watched
/// silo once per probe period, which adapts to observed round trips between half and four times
/// <see cref="ClusterMembershipOptions.ProbeTimeout"/> (about half of it on a healthy network); after
/// <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> failures, the last one an indirect probe through another
/// silo, it votes, and the indirect prober's vote counts too, so one silo can declare another dead once a second
/// silo has confirmed it. A killed process refuses connections at once, so detection is about three probe periods.
/// </para>
/// <para>
/// Chosen here: <c>ProbeTimeout</c> 2 s (Orleans: 5 s), so healthy probes run about every second and a killed silo
/// is declared dead in about 2.5-3.5 s (measured with kill -9 of one of three silos on one 2-core machine: 2.3, 2.4,
/// 3.1 and 3.2 s from the kill to the eviction; by the same probe arithmetic Orleans' 5 s would take about 2.5 times longer). The
/// protections against declaring a live but busy silo dead stay on, and are what make the shorter timeout safe on
/// a loaded 2-core machine: three missed probes, not one; the indirect probe (a second silo must fail to reach it
/// too, and an intermediary that is itself unhealthy is not believed); two votes
/// (<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>); timeouts stretched while the prober itself
/// is degraded (<see cref="ClusterMembershipOptions.ExtendProbeTimeoutDuringDegradation"/>: thread-pool delay, missed
/// timers); and no vote at all against a silo whose connection delivered a message within the last
/// <c>MaxProbeTimeout × NumMissedProbesLimit</c> (a busy silo is talking, so it is alive).
/// </para>
/// <para>
/// <c>TableRefreshTimeout</c> 10 s (Orleans: 60 s): a silo that missed the gossip about a death still learns of it
/// from the table within seconds; the read is one small query. <c>IAmAliveTablePublishTimeout</c> stays 30 s: a
/// silo counts as stale after three missed heartbeats, and a shorter period would make every silo stale during a
/// 30-second PostgreSQL outage (which the service rides out), and a stale majority needs fewer votes to declare
/// death. <c>DefunctSiloExpiration</c> 1 day (Orleans: 7 days): a restart leaves a dead row behind, kept only for diagnosis.
/// </para>
/// <para>
/// The messaging response timeout stays at Orleans' 30 s: when a silo is declared dead, Orleans fails every request
/// still waiting on it (<c>SiloUnavailableException</c>), so faster detection, not a shorter timeout, ends the wait;
/// a shorter timeout would only fail slow but healthy calls (a registration waiting on the database).
/// </para>
/// Every value can be overridden under <c>Helpline:Cluster</c> (for example <c>Helpline__Cluster__ProbeTimeout=00:00:05</c>).
/// </remarks>
public static class HelplineClusterMembership
{
    /// <summary>The configuration section read, under the <c>Helpline</c> section.</summary>
    public const string Section = "Cluster";

    /// <summary>Applies Helpline's failure-detection settings to <paramref name="options"/>, then any override in <paramref name="settings"/>.</summary>
    /// <param name="options">Orleans' membership options.</param>
    /// <param name="settings">The <c>Helpline:Cluster</c> configuration section.</param>
    public static void Apply(ClusterMembershipOptions options, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        options.ProbeTimeout = settings.GetValue("ProbeTimeout", TimeSpan.FromSeconds(2));
        options.NumMissedProbesLimit = settings.GetValue("NumMissedProbesLimit", 3);
        options.NumVotesForDeathDeclaration = settings.GetValue("NumVotesForDeathDeclaration", 2);
        options.EnableIndirectProbes = settings.GetValue("EnableIndirectProbes", true);
        options.ExtendProbeTimeoutDuringDegradation = settings.GetValue("ExtendProbeTimeoutDuringDegradation", true);
        options.EnableConnectionLivenessCheck = settings.GetValue("EnableConnectionLivenessCheck", true);
        options.TableRefreshTimeout = settings.GetValue("TableRefreshTimeout", TimeSpan.FromSeconds(10));
        options.IAmAliveTablePublishTimeout = settings.GetValue("IAmAliveTablePublishTimeout", TimeSpan.FromSeconds(30));
        options.DefunctSiloExpiration = settings.GetValue("DefunctSiloExpiration", TimeSpan.FromDays(1));
        if (settings.GetValue<TimeSpan?>("MaxProbeTimeout") is { } max)
        {
            options.MaxProbeTimeout = max;
        }
    }

    /// <summary>Configures the silo's cluster membership with <see cref="Apply"/>.</summary>
    /// <param name="silo">The silo being built.</param>
    /// <param name="settings">The <c>Helpline:Cluster</c> configuration section.</param>
    public static ISiloBuilder UseHelplineClusterMembership(this ISiloBuilder silo, IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Configure<ClusterMembershipOptions>(o => Apply(o, settings));
    }
}
