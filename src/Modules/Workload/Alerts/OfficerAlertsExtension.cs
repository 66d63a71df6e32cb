using GraphQL;
using GraphQL.Types;
using Helpline.Officers;
using Helpline.Officers.GraphQL;
using Helpline.Officers.Workload;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Workload.Alerts;

/// <summary><c>Officer.alerts</c>: the alerts are the Workload module's, the officer type is not.</summary>
internal sealed class OfficerAlertsExtension : IGraphTypeExtension<OfficerGraphType>
{
    private static readonly Role[] Readers = [Role.Officer, Role.Supervisor, Role.Administrator, Role.Auditor, Role.Partner];

    public void Extend(OfficerGraphType graphType) =>
        graphType.Field<NonNullGraphType<ListGraphType<NonNullGraphType<OfficerAlertGraphType>>>>("alerts")
            .Description(
                $"Recent alerts (at risk, subordinate at risk, escalated to you), newest first; kept from grievance events for " +
                $"{OfficerAlerts.Retention.TotalDays:0} days, so they appear once the event is handled (normally within a second). " +
                $"Only alerts about grievances inside your scope.")
            .Argument<IntGraphType>("first", $"How many (1..{OfficerAlerts.MaxRead}, default {OfficerAlerts.MaxRead}).")
            .MaxPage(OfficerAlerts.MaxRead)
            .AllowedTo(Readers)
            .ResolveAsync(async c => await ResolveAsync(c));

    private static async Task<IReadOnlyList<OfficerAlert>> ResolveAsync(IResolveFieldContext<Officer> c)
    {
        var first = c.GetArgument("first", OfficerAlerts.MaxRead);
        if (first is < 1 or > OfficerAlerts.MaxRead)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"first must be 1..{OfficerAlerts.MaxRead}, not {first}.", "first");
        }

        var services = c.RequestServices!;
        var caller = Caller.Of(c);
        if (OfficerGraphType.ReachesAll(caller, c.Source))
        {
            return await services.GetRequiredService<OfficerAlerts>().NewestAsync(c.Source.Id, first, c.CancellationToken);
        }

        // Filtered after reading, as before: a limited caller sees those of the officer's newest alerts inside their scope.
        var alerts = await services.GetRequiredService<OfficerAlerts>().NewestAsync(c.Source.Id, OfficerAlerts.MaxRead, c.CancellationToken);
        if (alerts.Count == 0)
        {
            return alerts;
        }

        var visible = await services.GetRequiredService<IOfficerCaseload>()
            .VisibleAsync([.. alerts.Select(a => a.ReferenceNumber).Distinct()], caller.Scope, c.CancellationToken);
        return alerts.Where(a => visible.Contains(a.ReferenceNumber)).Take(first).ToList();
    }
}

internal sealed class OfficerAlertGraphType : ObjectGraphType<OfficerAlert>
{
    public OfficerAlertGraphType()
    {
        Name = "OfficerAlert";
        Field(x => x.At);
        Field(x => x.ReferenceNumber);
        Field(x => x.Kind).Description("AT_RISK, SUBORDINATE_AT_RISK or ESCALATED_TO_YOU.");
        Field(x => x.Message);
    }
}
