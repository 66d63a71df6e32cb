using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using Helpline.Platform.Access;
using Helpline.Tests.Infrastructure;
using Helpline.WebConsole;
using Helpline.WebConsole.Api;
using Helpline.WebConsole.SignIn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace Helpline.Tests.WebConsole;

/// <summary>
/// The console's own graphql-transport-ws client against the real service: it hears a supervisor's team's workload
/// change, and a token the service refuses fails the start (so the board falls back to refreshing every 30 s).
/// </summary>
[Collection(ConsoleBrowserTests.Name)]
public sealed class ConsoleSubscriptionTests(ConsoleService console)
{
    private const string Changes = "subscription($p: String!) { workloadChanges(positionId: $p) { officerId workload { open } } }";

    [Fact]
    public async Task It_hears_the_teams_workload_change_and_closes_when_disposed()
    {
        var scene = new BoardScene(console);
        var (_, blocks) = await scene.DistrictAsync(12);
        var first = await scene.RegisterAsync(blocks[0]);
        var heard = Channel.CreateUnbounded<JsonElement>();
        var ended = new TaskCompletionSource<string>();

        await using (var subscription = new ConsoleSubscription(Address(), new SignedIn(TestTokens.Mint(Role.Supervisor, first.Supervisor))))
        {
            await subscription.StartAsync(Changes, new { p = first.SupervisorSeat }, d => heard.Writer.WriteAsync(d).AsTask(), r => Task.FromResult(ended.TrySetResult(r)));
            var open = await OpenOfAsync(heard.Reader, first.Officer, _ => true); // the current figures come first
            await scene.RegisterAsync(blocks[0]);
            Assert.Equal(open + 1, await OpenOfAsync(heard.Reader, first.Officer, n => n > open));
        }

        Assert.False(ended.Task.IsCompleted, "disposing is not an end the page must react to");
    }

    [Fact]
    public async Task A_token_the_service_refuses_fails_the_start()
    {
        var expired = TestTokens.Mint(Role.Supervisor, "OFF-000001", now: DateTimeOffset.UtcNow.AddHours(-10), lifetime: TimeSpan.FromHours(1));
        await using var subscription = new ConsoleSubscription(Address(), new SignedIn(expired));
        await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() =>
            subscription.StartAsync(Changes, new { p = "rural-development@district:162" }, _ => Task.CompletedTask, _ => Task.CompletedTask));
    }

    private ApiAddress Address() => new(null!, Options.Create(new WebConsoleOptions { ApiAddress = console.BaseAddress.ToString() }));

    // The officer's open count in the first change of theirs that satisfies the condition.
    private static async Task<int> OpenOfAsync(ChannelReader<JsonElement> heard, string officer, Func<int, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var data in heard.ReadAllAsync(timeout.Token))
        {
            var change = data.GetProperty("workloadChanges");
            var open = change.GetProperty("workload").GetProperty("open").GetInt32();
            if (change.GetProperty("officerId").GetString() == officer && wanted(open))
            {
                return open;
            }
        }

        throw new InvalidOperationException("the subscription ended");
    }

    private sealed class SignedIn(string token) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ConsoleClaims.Token, token)], "test"))));
    }
}
