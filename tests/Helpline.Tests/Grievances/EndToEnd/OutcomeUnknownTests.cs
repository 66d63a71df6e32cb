using Helpline.Tests.Infrastructure;
using Orleans.Runtime;

namespace Helpline.Tests.Grievances.EndToEnd;

/// <summary>
/// The real service: a registration whose grievance grain stored it but whose answer was lost as a silo died is told
/// OUTCOME_UNKNOWN (retryable, Retry-After), and the retry with the same client request id returns the same
/// grievance; a bug in a grain stays INTERNAL_SERVER_ERROR.
/// </summary>
public sealed class OutcomeUnknownTests : IAsyncLifetime
{
    private readonly FailingAnswers _failures = new();
    private TestDatabase _db = null!;
    private HelplineTestHost _host = null!;
    private string _block = null!;
    private string _category = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _host = await HelplineTestHost.StartAsync(_db.ConnectionString, configure: b => b.Services.AddSingleton<IIncomingGrainCallFilter>(_failures));
        var cats = await _host.GraphQLAsync("{ categories { id resolutionLevel } }");
        _category = cats.Get("categories").AsArray().First(c => c!["resolutionLevel"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
        var tree = await _host.GraphQLAsync("{ jurisdictions { children { children { id kind children { id kind } } } } }");
        _block = tree.Get("jurisdictions.0.children.0.children.0")["children"]!.AsArray().First(c => c!["kind"]!.GetValue<string>() == "BLOCK")!["id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    private Task<GraphQLResponse> Register(string clientRequestId) => _host.GraphQLAsync(
        "mutation($i: RegisterGrievanceInput!) { registerGrievance(input: $i) { referenceNumber } }",
        new
        {
            i = new
            {
                clientRequestId,
                kind = "COMPLAINT",
                complainant = new { name = "Sita Devi", mobile = "9415012345" },
                jurisdictionId = _block,
                categoryId = _category,
                description = "Hand pump broken for three weeks.",
                channel = "PHONE",
                agentId = "agent-7",
            },
        });

    private async Task<long> StoredGrievances()
    {
        await using var source = Npgsql.NpgsqlDataSource.Create(_db.ConnectionString);
        await using var cmd = source.CreateCommand("select count(*) from grievances.grievance");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_registration_stored_but_unanswered_is_retryable_and_the_retry_returns_the_same_grievance()
    {
        var id = "outcome-unknown-" + Guid.NewGuid().ToString("N");
        _failures.AfterRegister(id, () => new SiloUnavailableException("The target silo became unavailable for message: Request S127.0.0.1:11112"));

        var first = await Register(id);

        Assert.Equal(System.Net.HttpStatusCode.OK, first.Status);
        Assert.Equal("OUTCOME_UNKNOWN", first.FirstErrorCode);
        Assert.True(first.Errors![0]!["extensions"]!["retryable"]!.GetValue<bool>());
        Assert.Contains("same clientRequestId", first.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2", first.RetryAfter);
        Assert.Equal(1, await StoredGrievances()); // it was stored: "failed" would have been a lie

        var retry = await Register(id);
        Assert.Null(retry.RetryAfter);
        var reference = retry.Get("registerGrievance.referenceNumber").GetValue<string>();
        Assert.Matches("^[0-9]{12}$", reference);
        Assert.Equal(1, await StoredGrievances());
    }

    [Fact]
    public async Task A_bug_in_a_grain_stays_an_internal_error()
    {
        var id = "bug-" + Guid.NewGuid().ToString("N");
        _failures.AfterRegister(id, () => new InvalidOperationException("a real bug"));

        var response = await Register(id);

        Assert.Equal("INTERNAL_SERVER_ERROR", response.FirstErrorCode);
        Assert.Null(response.Errors![0]!["extensions"]!["retryable"]);
        Assert.Null(response.RetryAfter);
    }

    /// <summary>Lets the grievance grain register, then throws instead of answering: the answer is lost after the write.</summary>
    private sealed class FailingAnswers : IIncomingGrainCallFilter
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<Exception>> _after = new(StringComparer.Ordinal);

        public void AfterRegister(string clientRequestId, Func<Exception> failure) => _after[Helpline.Grievances.GrievanceKeys.ForRequest(clientRequestId)] = failure;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.MethodName == "Register" && _after.TryRemove(context.TargetId.Key.ToString()!, out var failure))
            {
                throw failure();
            }
        }
    }
}
