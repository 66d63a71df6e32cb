using Helpline.Platform.Errors;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Platform.Modules;

/// <summary>The platform as a module: the <c>orleans</c> schema, the projection outbox, the generic error codes and the
/// root fields <c>node</c> and <c>nodes</c> (global ids).</summary>
public sealed class PlatformModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Platform";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => Errors.ErrorCodes.Generic;

    /// <inheritdoc />
    public GraphQLPart GraphQL { get; } = new NodeGraphQL();

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddPlatformModule();
}
