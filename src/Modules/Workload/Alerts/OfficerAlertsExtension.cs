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
            .Resolve(Resolve);

    // Batched per request: a page listing many officers reads their alerts (and, for a limited caller, which of the
    // grievances they name it may see) in one statement each.
    private static object Resolve(IResolveFieldContext<Officer> c)
    {
        var first = c.GetArgument("first", OfficerAlerts.MaxRead);
        if (first is < 1 or > OfficerAlerts.MaxRead)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"first must be 1..{OfficerAlerts.MaxRead}, not {first}.", "first");
        }

        var services = c.RequestServices!;
        var caller = Caller.Of(c);
        var alerts = services.GetRequiredService<OfficerAlerts>();
        if (OfficerGraphType.ReachesAll(caller, c.Source))
        {
            return GraphQLBatches.Load<string, IReadOnlyList<OfficerAlert>>(c, $"workload.alerts:{first}", c.Source.Id,
                (ids, cancellationToken) => alerts.NewestOfAsync(ids, first, cancellationToken));
        }

        // Filtered after reading, as before: a limited caller sees those of the officer's newest alerts inside their scope.
        return GraphQLBatches.Load<string, IReadOnlyList<OfficerAlert>>(c, $"workload.alerts-in-scope:{first}", c.Source.Id, async (ids, cancellationToken) =>
        {
            var newest = await alerts.NewestOfAsync(ids, OfficerAlerts.MaxRead, cancellationToken);
            var named = newest.SelectMany(a => a).Select(a => a.ReferenceNumber).Distinct(StringComparer.Ordinal).ToList();
            if (named.Count == 0)
            {
                return newest;
            }

            var visible = await services.GetRequiredService<IOfficerCaseload>().VisibleAsync(named, caller.Scope, cancellationToken);
            return [.. newest.Select(a => (IReadOnlyList<OfficerAlert>)[.. a.Where(x => visible.Contains(x.ReferenceNumber)).Take(first)])];
        });
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
