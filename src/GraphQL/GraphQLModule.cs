using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using Helpline.GraphQL.Composition;
using Helpline.GraphQL.Http;
using Helpline.Platform.Modules;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL;

/// <summary>Registration of Helpline's GraphQL schema, composed from the modules' parts, and its HTTP transport.</summary>
public static class GraphQLModule
{
    /// <summary>
    /// Registers the schema composed of <paramref name="parts"/> (root fields in the given order, and each part's graph
    /// types), the System.Text.Json serializer and the transport; map the endpoint with <c>MapHelplineGraphQL</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="parts">The modules' GraphQL parts, in the host's module order.</param>
    public static IServiceCollection AddHelplineGraphQL(this IServiceCollection services, IEnumerable<GraphQLPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        foreach (var part in list)
        {
            services.AddSingleton(part);
        }

        services.AddGraphQL(b =>
        {
            b.AddSchema<HelplineSchema>()
                .AddSystemTextJson()
                .AddGraphTypes(typeof(HelplineSchema).Assembly)
                .AddExecutionStrategy<SubscriptionExecutionStrategy>(OperationType.Subscription);
            foreach (var part in list)
            {
                part.AddTypes(b);
            }
        });
        services.AddHelplineGraphQLTransport();
        return services;
    }
}
