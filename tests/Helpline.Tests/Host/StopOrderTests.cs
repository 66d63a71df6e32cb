using Helpline.Host;
using Helpline.Platform.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Helpline.Tests.Modules;

/// <summary>
/// Hosted services stop in the reverse order of their registration. Event delivery calls grains from its subscribers,
/// so it must stop before the silo: stopped after it, a batch in flight failed on the stopping silo and was logged as
/// a failure at every shutdown under load.
/// </summary>
public sealed class StopOrderTests
{
    [Fact]
    public void Event_delivery_is_registered_after_the_silo_so_it_stops_first()
    {
        var builder = HelplineHost.CreateBuilder(["--HELPLINE_DB=Host=127.0.0.1;Port=1;Database=unused", "--Logging:LogLevel:Default=Warning"]);
        var hosted = builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        string Name(ServiceDescriptor d) => (d.ImplementationType ?? d.ImplementationInstance?.GetType() ?? d.ImplementationFactory?.Method.ReturnType)?.FullName ?? "?";

        var delivery = hosted.FindIndex(d => d.ImplementationType?.Name == "EventDispatcher");
        var silo = hosted.FindIndex(d => Name(d).StartsWith("Orleans.", StringComparison.Ordinal));
        Assert.True(delivery >= 0 && silo >= 0, "hosted services: " + string.Join(", ", hosted.Select(Name)));
        Assert.True(delivery > silo, $"event delivery at {delivery}, the silo at {silo}: " + string.Join(", ", hosted.Select(Name)));

        // Called again (as a module might), delivery is not registered a second time.
        builder.Services.AddEventDelivery();
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "EventDispatcher");
    }
}
