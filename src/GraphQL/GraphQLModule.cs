using GraphQL;
using Helpline.GraphQL.Http;
using Helpline.GraphQL.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.GraphQL;

/// <summary>Registration of Helpline's GraphQL schema and its HTTP transport.</summary>
public static class GraphQLModule
{
    /// <summary>Registers the schema, its graph types and the System.Text.Json serializer; map the endpoint with <c>MapHelplineGraphQL</c>.</summary>
    public static IServiceCollection AddHelplineGraphQL(this IServiceCollection services)
    {
        services.AddGraphQL(b => b
            .AddSchema<HelplineSchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(HelplineSchema).Assembly));
        services.AddHelplineGraphQLTransport();
        return services;
    }
}
