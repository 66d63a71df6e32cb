using Helpline.CallBacks;
using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Queue;
using Helpline.Platform.Errors;
using Helpline.Tests.Infrastructure;
using Npgsql;

namespace Helpline.Tests.CallBacks;

/// <summary>
/// The queue leases what it read under its campaigns' locks without reading the call-backs again, so whatever takes a
/// call-back nobody holds out of a campaign must wait for a batch holding that campaign. Each test holds a campaign's
/// lock as a batch of another silo would, shows that the other party is waiting on it (in PostgreSQL's own view, not
/// by waiting a while), and what it does once the lock is let go.
/// </summary>
public sealed class CallBackCampaignLockTests : CallBackTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reopening_waits_for_a_batch_handing_out_the_campaign_then_cancels_the_call_back()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await using var batch = await HoldAsync(campaign);

        (await Host.GraphQLAsync("mutation($r: String!) { reopenGrievance(referenceNumber: $r, reason: \"Caller rang back: still broken\") { status } }", new { r = reference }))
            .Get("reopenGrievance");
        await WaitingAsync("reference_number = any");
        Assert.Equal("pending", (await CallBacksOfAsync(reference))[0].State);

        await batch.Transaction.CommitAsync(Ct);
        await Wait.UntilAsync(() => CallBacksOfAsync(reference), l => l[0].State == "cancelled", "the call-back cancelled once the batch let go");
    }

    [Fact]
    public async Task A_carry_over_waits_for_a_batch_handing_out_yesterdays_campaign_then_moves_what_is_left()
    {
        var (_, _, callBack) = await DisposedAsync();
        var yesterday = await CampaignOfAsync(callBack);
        Host.Clock.Advance(TimeSpan.FromDays(1));
        await using var batch = await HoldAsync(yesterday);

        var gather = GatherAsync();
        await WaitingAsync("k.day < $1");
        Assert.Equal(yesterday, await Sql.ScalarAsync<string>($"select campaign_id from callbacks.call_back where id = '{callBack}'"));

        await batch.Transaction.CommitAsync(Ct);
        Assert.Equal(1, await gather);
        Assert.NotEqual(yesterday, await Sql.ScalarAsync<string>($"select campaign_id from callbacks.call_back where id = '{callBack}'"));
    }

    [Fact]
    public async Task An_agent_asking_on_two_silos_at_once_is_given_one_call()
    {
        var (_, _, first) = await DisposedAsync(agent: "agent-1");
        await DisposedAsync(agent: "agent-1");
        var campaign = await CampaignOfAsync(first);

        // The other silo's batch: under the campaign's lock it has leased the oldest call-back to cb-7, not committed yet.
        await using var batch = await HoldAsync(campaign);
        await using (var lease = new NpgsqlCommand(QueueSql.Lease, batch.Connection, batch.Transaction))
        {
            lease.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [first] });
            lease.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ["cb-7"] });
            lease.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [campaign] });
            lease.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Host.Clock.GetUtcNow() });
            lease.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Host.Clock.GetUtcNow().AddMinutes(15) });
            Assert.Equal(first, await lease.ExecuteScalarAsync(Ct));
        }

        var here = Host.Services.GetRequiredService<CallBackQueue>().NextAsync("cb-7", campaign, Ct);
        await WaitingAsync("unnest($1::text[]) as u(campaign)");
        await batch.Transaction.CommitAsync(Ct);

        Assert.Equal(first, (await here).CallBack!.Id); // the call the other silo gave, not a second one
        Assert.Equal(1L, await Sql.ScalarAsync<long>("select count(*) from callbacks.lease where agent_id = 'cb-7'"));
    }

    [Fact]
    public async Task A_campaign_held_by_a_stalled_transaction_delays_only_its_own_agents_and_only_for_a_while()
    {
        var (lucknowCallBack, lucknow, unnaoCallBack, unnao) = await TwoCampaignsAsync();
        var queue = Host.Services.GetRequiredService<CallBackQueue>();
        await using var stalled = await HoldAsync(lucknow);

        var held = queue.NextAsync("cb-1", lucknow, Ct);
        var other = await queue.NextAsync("cb-2", unnao, Ct);

        Assert.Equal(unnaoCallBack, other.CallBack!.Id);
        Assert.False(held.IsCompleted); // still waiting for Lucknow's lock
        var ex = await Assert.ThrowsAsync<HelplineException>(() => held); // the lock timeout (5 s), not for ever
        Assert.Equal(CallBackErrorCodes.QueueUnavailable, ex.Code);
        await stalled.Transaction.CommitAsync(Ct);
        Assert.Equal(lucknowCallBack, (await queue.NextAsync("cb-1", lucknow, Ct)).CallBack!.Id);
    }

    [Fact]
    public async Task A_campaign_held_for_a_moment_is_served_while_another_is_stalled()
    {
        var (lucknowCallBack, lucknow, unnaoCallBack, unnao) = await TwoCampaignsAsync();
        var queue = Host.Services.GetRequiredService<CallBackQueue>();
        await using var stalled = await HoldAsync(lucknow);
        var waiting = new List<Task<NextCall>>();
        for (var i = 1; i <= 12; i++) // each in a batch of its own, so each is set apart on its own
        {
            var before = queue.BatchesServed;
            waiting.Add(queue.NextAsync($"cb-stalled-{i}", lucknow, Ct));
            await Wait.UntilAsync(() => Task.FromResult(queue.BatchesServed), n => n > before, "the request's batch");
        }

        // Another silo's batch holds Unnao for a moment: the request waits for it, beside Lucknow's, and is served.
        Task<NextCall> unnaoAsk;
        await using (var moment = await HoldAsync(unnao))
        {
            unnaoAsk = queue.NextAsync("cb-unnao", unnao, Ct);
            await WaitingAsync("unnest($1::text[]) as u(campaign)", atLeast: 2); // Lucknow's and Unnao's
            await moment.Transaction.CommitAsync(Ct);
        }

        Assert.Equal(unnaoCallBack, (await unnaoAsk).CallBack!.Id);
        Assert.All(waiting, w => Assert.False(w.IsCompleted)); // Lucknow's still wait for its lock
        foreach (var w in waiting)
        {
            Assert.Equal(CallBackErrorCodes.QueueUnavailable, (await Assert.ThrowsAsync<HelplineException>(() => w)).Code);
        }
    }

    [Fact]
    public async Task An_outcome_waits_for_a_batch_handing_out_the_campaign()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await NextAsync("cb-1", campaign);
        await using var batch = await HoldAsync(campaign);

        var outcome = RecordAsync("cb-1", callBack, "SATISFIED");
        await WaitingAsync("c.id = $1 and c.campaign_id is not null");
        Assert.Equal("pending", (await CallBacksOfAsync(reference))[0].State);

        await batch.Transaction.CommitAsync(Ct);
        Assert.Equal("CLOSED", (await outcome).Get("recordCallBackOutcome.grievanceStatus").GetValue<string>());
    }

    [Fact]
    public async Task An_outcome_waits_for_a_stalled_campaign_only_for_a_while_and_records_nothing()
    {
        var (reference, _, callBack) = await DisposedAsync();
        var campaign = await CampaignOfAsync(callBack);
        await NextAsync("cb-1", campaign);
        await using (var stalled = await HoldAsync(campaign))
        {
            var refused = await RecordAsync("cb-1", callBack, "SATISFIED"); // after the lock timeout (5 s), not never
            Assert.Equal("OUTCOME_UNKNOWN", refused.FirstErrorCode);
            Assert.Equal("pending", (await CallBacksOfAsync(reference))[0].State);
        }

        Assert.Equal("CLOSED", (await RecordAsync("cb-1", callBack, "SATISFIED")).Get("recordCallBackOutcome.grievanceStatus").GetValue<string>());
    }

    // One call-back in Lucknow's campaign and one in Unnao's.
    private async Task<(Guid LucknowCallBack, string Lucknow, Guid UnnaoCallBack, string Unnao)> TwoCampaignsAsync()
    {
        var (_, _, lucknowCallBack) = await DisposedAsync(agent: "agent-1");
        var (_, _, unnaoCallBack) = await DisposedAsync(agent: "agent-1", block: OtherDistrictBlock);
        return (lucknowCallBack, await CampaignOfAsync(lucknowCallBack), unnaoCallBack, await CampaignOfAsync(unnaoCallBack));
    }

    // A transaction holding the campaign's lock, as a queue batch does while it hands out the campaign's call-backs.
    private async Task<Held> HoldAsync(string campaign)
    {
        var connection = await Sql.OpenConnectionAsync(Ct);
        var tx = await connection.BeginTransactionAsync(Ct);
        await using var cmd = new NpgsqlCommand(CampaignLocks.ById, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [campaign] });
        await cmd.ExecuteScalarAsync(Ct);
        return new Held(connection, tx);
    }

    // Until backends of this database wait on an advisory lock while running the statement that holds this text.
    private Task<long> WaitingAsync(string statement, int atLeast = 1) =>
        Wait.UntilAsync(
            () => Sql.ScalarAsync<long>(
                $"select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory' and position('{statement}' in query) > 0"),
            n => n >= atLeast,
            $"{atLeast} statements with '{statement}' waiting on a campaign's lock");

    private sealed record Held(NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}
