using Helpline.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Helpline.Tests.Durability;

/// <summary>
/// A due date must survive a restart of the service: after it, the officer's deadline list is rebuilt from the
/// PostgreSQL read model, and the due date must still escalate when it passes. The clock here, unlike a whole-second
/// test clock, has sub-microsecond ticks, as DateTimeOffset.UtcNow does on a real machine: PostgreSQL keeps only
/// microseconds, and a due date the officer rebuilt from the read model that differed from the grievance's own in the
/// last digit was ignored as stale, so the grievance never escalated (fixed in e89b46d by truncating to microseconds).
/// </summary>
public sealed class DeadlineAfterRestartTests() : HostedTest(new FakeTimeProvider(RealisticStart))
{
    private static readonly DateTimeOffset RealisticStart = new DateTimeOffset(2026, 11, 2, 4, 30, 0, 123, 456, TimeSpan.Zero).AddTicks(7);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_due_date_escalates_when_it_passes_with_or_without_a_restart_in_between(bool restart)
    {
        var categories = (await Host.GraphQLAsync("{ categories { id resolutionLevel } }")).Get("categories").AsArray();
        var category = categories.First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var district = (await Host.GraphQLAsync("{ jurisdictions { children { children { children { id kind } } } } }")).Get("jurisdictions.0.children.0.children.0");
        var block = district["children"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var registered = (await Host.GraphQLAsync(
            "mutation($input: RegisterGrievanceInput!) { registerGrievance(input: $input) { referenceNumber dueAt } }",
            new
            {
                input = new
                {
                    clientRequestId = "restart-" + Guid.NewGuid().ToString("N"),
                    kind = "COMPLAINT",
                    channel = "PHONE",
                    agentId = "agent-17",
                    complainant = new { name = "Ramesh Kumar", mobile = "9876543210" },
                    jurisdictionId = block,
                    categoryId = category,
                    description = "Hand pump in the village has not worked for three weeks.",
                },
            })).Get("registerGrievance");
        var reference = registered["referenceNumber"]!.GetValue<string>();
        var due = registered["dueAt"]!.GetValue<DateTimeOffset>();

        if (restart)
        {
            await Host.StopAsync();
            await Host.StartAsync();
        }

        Host.Clock.SetUtcNow(due.AddSeconds(1));
        var escalated = await Wait.UntilAsync(
            async () => (await Host.GraphQLAsync("query($r: String!) { grievance(referenceNumber: $r) { level timeline { type } } }", new { r = reference })).Get("grievance"),
            g => g["level"]!.GetValue<int>() == 2,
            "escalation to L2 when the due date passed");
        Assert.Equal(1, escalated["timeline"]!.AsArray().Count(e => e!["type"]!.GetValue<string>() == "ESCALATED"));
    }
}
