using Helpline.Grievances;
using Helpline.Platform.Errors;
using Microsoft.Extensions.Logging;

namespace Helpline.Tests.GraphQLHttp;

/// <summary>How errors raised while executing are reported: domain refusals, deliberate errors and unexpected failures.</summary>
public sealed class GraphQLHttpErrorTests
{
    [Fact]
    public async Task Helpline_exception_becomes_an_error_with_its_code_field_and_path()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("{ hello refuse }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        Assert.Null(response.Data!["refuse"]);
        var error = response.Error();
        Assert.Equal("The mobile number must have 10 digits.", error["message"]!.GetValue<string>());
        Assert.Equal(GrievanceErrorCodes.InvalidMobile, error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("input.complainant.mobile", error["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal("refuse", Assert.Single(error["path"]!.AsArray())!.GetValue<string>());
        Assert.NotNull(error["locations"]);
    }

    [Fact]
    public async Task Helpline_exception_without_a_field_has_no_field_extension()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("{ refuseWithoutField }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(GrievanceErrorCodes.UnknownGrievance, response.ErrorCode());
        Assert.False(response.Error()["extensions"]!.AsObject().ContainsKey("field"));
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Unexpected_exception_is_logged_and_reported_without_details()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("query Crashing { hello crash }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        Assert.Null(response.Data!["crash"]);
        var error = response.Error();
        Assert.Equal("Internal server error.", error["message"]!.GetValue<string>());
        Assert.Equal("INTERNAL_SERVER_ERROR", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("crash", Assert.Single(error["path"]!.AsArray())!.GetValue<string>());
        var traceId = error["extensions"]!["traceId"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(traceId));

        Assert.DoesNotContain("hunter2", response.Text);
        Assert.DoesNotContain(nameof(InvalidOperationException), response.Text);
        Assert.DoesNotContain("   at ", response.Text);
        Assert.False(error["extensions"]!.AsObject().ContainsKey("details"));
        Assert.False(error["extensions"]!.AsObject().ContainsKey("codes"));

        var logged = Assert.Single(host.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Equal(TestQuery.Secret, logged.Exception!.Message);
        Assert.Contains(traceId, logged.Message);
        Assert.Contains("Crashing", logged.Message);
        Assert.Contains("crash", logged.Message);
    }

    [Fact]
    public async Task Deliberate_execution_error_keeps_its_message_and_gets_a_code()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("{ deliberate }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("You asked for an error.", response.Error()["message"]!.GetValue<string>());
        Assert.Equal("GRAPHQL_EXECUTION_FAILED", response.ErrorCode());
    }

    [Fact]
    public async Task Every_error_of_a_mixed_response_is_well_formed()
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync("{ refuse refuseWithoutField crash deliberate hello }");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(4, response.Errors.Count);
        response.AssertErrorsWellFormed();
    }

    [Fact]
    public async Task Failure_before_execution_is_a_500_without_details()
    {
        await using var host = await GraphQLTestHost.StartAsync(options =>
            options.ConfigureExecution = (execution, _) => execution.Listeners.Add(new ThrowingListener()));

        var response = await host.PostQueryAsync("{ hello }");

        Assert.Equal(500, response.StatusCode);
        Assert.False(response.HasData);
        Assert.Equal("INTERNAL_SERVER_ERROR", response.ErrorCode());
        Assert.DoesNotContain("hunter2", response.Text);
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception?.Message == TestQuery.Secret);
    }

    private sealed class ThrowingListener : global::GraphQL.Execution.DocumentExecutionListenerBase
    {
        public override Task AfterValidationAsync(global::GraphQL.Execution.IExecutionContext context, global::GraphQL.Validation.IValidationResult validationResult)
            => throw new InvalidOperationException(TestQuery.Secret);
    }
}

/// <summary>
/// Failures after which nobody knows whether the request took effect (a silo died, a call timed out, the database went
/// away) are told as retryable, with Retry-After; a real bug stays an internal error.
/// </summary>
public sealed class GraphQLHttpOutcomeUnknownTests
{
    [Theory]
    [InlineData("siloGone")]
    [InlineData("callTimedOut")]
    [InlineData("databaseGone")]
    [InlineData("databaseTerminated")]
    public async Task A_failure_with_an_unknown_outcome_is_retryable_with_retry_after(string field)
    {
        await using var host = await GraphQLTestHost.StartAsync();

        var response = await host.PostQueryAsync($"{{ hello {field} }}");

        Assert.Equal(200, response.StatusCode); // execution started: the spec's 200, with the other field's data
        Assert.Equal("Hello, world!", response.Data!["hello"]!.GetValue<string>());
        var error = response.Error();
        Assert.Equal("OUTCOME_UNKNOWN", error["extensions"]!["code"]!.GetValue<string>());
        Assert.True(error["extensions"]!["retryable"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(error["extensions"]!["traceId"]!.GetValue<string>()));
        var message = error["message"]!.GetValue<string>();
        Assert.Contains("outcome is unknown", message, StringComparison.Ordinal);
        Assert.Contains("same clientRequestId", message, StringComparison.Ordinal);
        Assert.Equal(field, Assert.Single(error["path"]!.AsArray())!.GetValue<string>());
        Assert.Equal("2", response.RetryAfter);
        Assert.DoesNotContain("hunter2", response.Text);
        Assert.DoesNotContain("   at ", response.Text);

        // Logged as a warning (the caller retries), not as an error needing an engineer.
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Exception is not null);
    }

    [Theory]
    [InlineData("crash")]
    [InlineData("databaseBug")]
    public async Task A_bug_stays_an_internal_error_without_retry_after(string field)
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.OutcomeUnknownRetryAfter = TimeSpan.FromSeconds(7));

        var response = await host.PostQueryAsync($"{{ {field} }}");

        Assert.Equal("INTERNAL_SERVER_ERROR", response.ErrorCode());
        Assert.False(response.Error()["extensions"]!.AsObject().ContainsKey("retryable"));
        Assert.Null(response.RetryAfter);
        Assert.Single(host.Logs.Entries, entry => entry.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Retry_after_follows_the_option_and_a_mixed_answer_carries_both_codes()
    {
        await using var host = await GraphQLTestHost.StartAsync(o => o.OutcomeUnknownRetryAfter = TimeSpan.FromSeconds(7));

        var response = await host.PostQueryAsync("{ crash siloGone }");

        Assert.Equal(["INTERNAL_SERVER_ERROR", "OUTCOME_UNKNOWN"], response.Errors.Select(e => e!["extensions"]!["code"]!.GetValue<string>()).Order());
        Assert.Equal("7", response.RetryAfter);
    }
}
