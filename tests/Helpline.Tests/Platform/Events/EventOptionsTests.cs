using Helpline.Platform.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Helpline.Tests.Platform.Events;

/// <summary>
/// Event delivery's waits are Task.Delay calls: -1 ms is an endless wait, so a negative setting would stop delivery
/// for good while the service looks healthy. Each is refused at start with its name and range.
/// </summary>
public sealed class EventOptionsTests
{
    private static ServiceProvider Services(string key, string value) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Helpline:Events:{key}"] = value }).Build())
            .AddEventLog()
            .BuildServiceProvider();

    [Theory]
    [InlineData("BatchSize", "0", "BatchSize must be at least 1")]
    [InlineData("BatchLinger", "-00:00:00.001", "BatchLinger must be from 00:00:00 to 00:00:10")]
    [InlineData("PollInterval", "00:00:00", "PollInterval must be from 00:00:00.001 to 00:01:00")]
    [InlineData("PollInterval", "00:00:00.0001", "PollInterval must be from 00:00:00.001 to 00:01:00")]
    [InlineData("LeaderRetry", "-00:00:00.001", "LeaderRetry must be from 00:00:00.001 to 00:01:00")]
    [InlineData("LeaderRetry", "00:00:00.0009", "LeaderRetry must be from 00:00:00.001 to 00:01:00")]
    [InlineData("MaxBackoff", "-00:00:01", "MaxBackoff must be from 00:00:00.001 to 01:00:00")]
    [InlineData("MaxBackoff", "01:00:01", "MaxBackoff must be from 00:00:00.001 to 01:00:00")]
    public void A_delivery_setting_out_of_range_is_refused_with_its_name_and_range(string key, string value, string message) =>
        Refused<EventDispatchOptions>(key, value, message);

    [Theory]
    [InlineData("LivePollInterval", "-00:00:00.001", "LivePollInterval must be from 00:00:00.001 to 00:01:00")]
    [InlineData("LivePollInterval", "00:00:00.0001", "LivePollInterval must be from 00:00:00.001 to 00:01:00")]
    [InlineData("LiveIdleAfter", "-00:00:01", "LiveIdleAfter must be from 00:00:00 to 01:00:00")]
    public void A_live_tail_setting_out_of_range_is_refused_with_its_name_and_range(string key, string value, string message) =>
        Refused<LiveEventOptions>(key, value, message);

    private static void Refused<TOptions>(string key, string value, string message)
        where TOptions : class
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Services(key, value).GetRequiredService<IOptions<TOptions>>().Value);
        Assert.Contains($"Helpline:Events:{message}.", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PollInterval", "00:00:00.001")]
    [InlineData("LeaderRetry", "00:01:00")]
    [InlineData("MaxBackoff", "01:00:00")]
    [InlineData("BatchLinger", "00:00:00")]
    public void A_delivery_setting_at_the_edge_of_its_range_passes(string key, string value) =>
        Assert.NotNull(Services(key, value).GetRequiredService<IOptions<EventDispatchOptions>>().Value);

    [Fact]
    public void The_defaults_pass()
    {
        var services = Services("Unrelated", "1");
        Assert.Equal(256, services.GetRequiredService<IOptions<EventDispatchOptions>>().Value.BatchSize);
        Assert.True(services.GetRequiredService<IOptions<LiveEventOptions>>().Value.LivePollInterval > TimeSpan.Zero);
    }
}
