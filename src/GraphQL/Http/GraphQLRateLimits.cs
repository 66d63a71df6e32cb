using System.Globalization;
using System.Threading.RateLimiting;
using GraphQL;
using Helpline.Platform.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Helpline.GraphQL.Http;

/// <summary>
/// How many GraphQL requests a caller may send: a token bucket per token subject (per remote address for the public),
/// sized by the subject's own entry in <see cref="Subjects"/>, else its role's in <see cref="Roles"/>; a role without an
/// entry is not limited. Buckets are per silo: N silos behind a load balancer allow up to N times the rate.
/// </summary>
public sealed class GraphQLRateLimitOptions
{
    /// <summary>Whether requests are limited at all. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Limits per role, by the role's token name (<c>partner</c>, <c>public</c>, ...). Defaults: <c>partner</c> 50 requests
    /// a second with bursts of 200, <c>public</c> 100 a second with bursts of 200 per remote address; other roles (staff of
    /// the helpline itself) are not limited unless configured.
    /// </summary>
    public Dictionary<string, GraphQLRateLimit> Roles { get; set; } = new(StringComparer.Ordinal)
    {
        ["partner"] = new() { PermitsPerPeriod = 50, Burst = 200 },
        ["public"] = new() { PermitsPerPeriod = 100, Burst = 200 },
    };

    /// <summary>Limits for particular token subjects (a portal that needs more, or less), over their role's.</summary>
    public Dictionary<string, GraphQLRateLimit> Subjects { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled by <see cref="PermitsPerPeriod"/> every <see cref="Period"/>.</summary>
public sealed class GraphQLRateLimit
{
    /// <summary>Requests added to the bucket every <see cref="Period"/>.</summary>
    public int PermitsPerPeriod { get; set; } = 50;

    /// <summary>The most requests the bucket holds (sent at once after a quiet spell).</summary>
    public int Burst { get; set; } = 100;

    /// <summary>How often the bucket is refilled. Defaults to one second.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Applies <see cref="GraphQLRateLimitOptions"/> with System.Threading.RateLimiting's partitioned token buckets: each
/// caller has a bucket of its own, so one partner emptying its bucket never slows another's requests.
/// </summary>
internal sealed class GraphQLRateLimits : IDisposable
{
    /// <summary>Key of the whole seconds to wait in a refused request's error extensions.</summary>
    public const string RetryAfterExtension = "retryAfterSeconds";

    private readonly GraphQLRateLimitOptions _options;
    private readonly PartitionedRateLimiter<(string Key, GraphQLRateLimit Limit)> _limiter;

    public GraphQLRateLimits(IOptions<GraphQLHttpOptions> options)
    {
        _options = options.Value.RateLimits;
        // The partitioned limiter refills every bucket it holds from one timer and drops buckets that stay full.
        _limiter = PartitionedRateLimiter.Create<(string Key, GraphQLRateLimit Limit), string>(
            resource => RateLimitPartition.GetTokenBucketLimiter(resource.Key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, resource.Limit.Burst),
                TokensPerPeriod = Math.Max(1, resource.Limit.PermitsPerPeriod),
                ReplenishmentPeriod = resource.Limit.Period > TimeSpan.Zero ? resource.Limit.Period : TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = false,
            }),
            StringComparer.Ordinal);
    }

    /// <summary>Null when <paramref name="caller"/> may send this request now, else the 429 to answer with.</summary>
    public GraphQLHttpRequestError? TryAcquire(HttpContext http, Caller caller)
    {
        if (!_options.Enabled)
            return null;
        var limit = (!caller.IsPublic && _options.Subjects.TryGetValue(caller.Subject, out var own) ? own : null)
            ?? _options.Roles.GetValueOrDefault(RoleNames.NameOf(caller.Role));
        if (limit is null)
            return null;

        var key = caller.IsPublic
            ? "public " + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown")
            : RoleNames.NameOf(caller.Role) + " " + caller.Subject;
        using var lease = _limiter.AttemptAcquire((key, limit));
        if (lease.IsAcquired)
            return null;

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Period;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var who = caller.IsPublic ? "this address" : $"'{caller.Subject}'";
        var error = new GraphQLHttpRequestError(StatusCodes.Status429TooManyRequests, GraphQLHttpErrorCodes.RateLimited,
            $"Too many requests from {who}: at most {limit.PermitsPerPeriod} every {Describe(limit.Period)} (bursts of {limit.Burst}). Nothing was run; retry after {seconds} s.")
        {
            RetryAfterSeconds = seconds,
        };
        error.AddExtension(RetryAfterExtension, seconds);
        return error;
    }

    private static string Describe(TimeSpan period)
        => period == TimeSpan.FromSeconds(1) ? "second" : period.ToString("c", CultureInfo.InvariantCulture);

    public void Dispose() => _limiter.Dispose();
}
