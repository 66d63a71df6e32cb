using Helpline.Platform.Errors;
using Helpline.Platform.Orleans;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Platform.Modules;

/// <summary>The platform as a module: the <c>orleans</c> schema, the projection outbox and the generic error codes.</summary>
public sealed class PlatformModule : IHelplineModule
{
    /// <inheritdoc />
    public string Name => "Platform";

    /// <inheritdoc />
    public IReadOnlyList<HelplineErrorCode> ErrorCodes => Errors.ErrorCodes.Generic;

    /// <inheritdoc />
    public void AddServices(IServiceCollection services, IConfiguration configuration) => services.AddPlatformModule();
}
