using Helpline.Platform.Modules;
using Helpline.Sla.GraphQL;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Sla;

/// <summary>
/// The SLA module: calendars, holidays, policies, due-date arithmetic and their GraphQL part. Its refusals use the
/// generic codes and the Catalogue's and Jurisdictions' unknown-id codes, so it declares none of its own.
/// </summary>
public sealed class SlaModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Sla";

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new SlaGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddSlaModule();
}
