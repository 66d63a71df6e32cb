using GraphQL;
using GraphQL.DI;
using Helpline.Officers.GraphQL;
using Helpline.Platform.Modules;
using Helpline.Workload.Alerts;

namespace Helpline.Workload.GraphQL;

/// <summary>The Workload module's root fields: workload boards, rebalancing proposals and moves; and <c>Officer.alerts</c>.</summary>
internal sealed class WorkloadGraphQL : GraphQLPart
{
    public override void AddTypes(IGraphQLBuilder graphql)
    {
        base.AddTypes(graphql);
        graphql.Services.Register<IGraphTypeExtension<OfficerGraphType>, OfficerAlertsExtension>(global::GraphQL.DI.ServiceLifetime.Singleton);
    }
}
