using Helpline.Platform.Modules;

namespace Helpline.Workload.GraphQL;

/// <summary>The Workload module's root fields: workload boards, rebalancing proposals and moves.</summary>
internal sealed class WorkloadGraphQL : GraphQLPart;
