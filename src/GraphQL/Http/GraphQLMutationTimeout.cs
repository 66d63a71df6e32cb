using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helpline.GraphQL.Http;

/// <summary>
/// The timeout of a mutation (<see cref="GraphQLHttpOptions.MutationTimeout"/>). Cancelling a mutation part-way could
/// leave it half applied (its first field done, the next not started), so it is never cancelled: when it outlives its
/// timeout the client is answered at once with <see cref="GraphQLHttpErrorCodes.OutcomeUnknown"/> (retryable, the same
/// request with the same client request id is safe to send again), and the mutation runs to its end meanwhile, with
/// the request's services still alive; its outcome goes to the log.
/// </summary>
internal static partial class GraphQLMutationTimeout
{
    /// <summary>
    /// False when <paramref name="execution"/> finished within <paramref name="timeout"/> (the caller answers as usual);
    /// true when the client was answered with <paramref name="answerLate"/> and the execution has since finished.
    /// </summary>
    public static async Task<bool> AnswerIfLateAsync(HttpContext http, Task<ExecutionResult> execution, TimeSpan timeout,
        Func<HttpContext, Task> answerLate, ILogger logger)
    {
        // Real time, never the service's TimeProvider: a client waits on the wall clock, and a test's fake clock moving
        // days ahead must not answer mutations in flight.
        using (var stop = new CancellationTokenSource())
        {
            var deadline = Task.Delay(timeout, stop.Token);
            if (await Task.WhenAny(execution, deadline) == execution)
            {
                await stop.CancelAsync();
                return false;
            }
        }

        LogLate(logger, timeout);
        await answerLate(http);
        await http.Response.CompleteAsync();
        try
        {
            var result = await execution;
            LogFinished(logger, result.Errors?.Count ?? 0);
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
        return true;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "A mutation outlived its timeout of {Timeout}; the client was told the outcome is unknown and the mutation runs to its end")]
    private static partial void LogLate(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information,
        Message = "A mutation answered as late finished with {ErrorCount} errors")]
    private static partial void LogFinished(ILogger logger, int errorCount);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error,
        Message = "A mutation answered as late failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
