using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Grievances.GraphQL;

/// <summary>
/// The public's status lookup: anyone with the reference number and the last four digits of the complainant's mobile
/// sees where the grievance stands, never who raised it or what they wrote.
/// </summary>
internal static class PublicStatus
{
    public static void Add(ObjectGraphType query) =>
        query.Field<NonNullGraphType<PublicGrievanceStatusGraphType>>("grievanceStatus")
            .Description("Where a grievance stands, for anyone who has its reference number and the last four digits of the complainant's mobile. Wrong digits answer as an unknown number; after 5 wrong tries for one number in 15 minutes the lookup refuses it (TOO_MANY_ATTEMPTS).")
            .AllowedTo(FieldAccess.Everyone)
            .Argument<NonNullGraphType<StringGraphType>>("referenceNumber")
            .Argument<NonNullGraphType<StringGraphType>>("mobileLastFour")
            .ResolveAsync(async c =>
            {
                var digits = c.GetArgument<string>("mobileLastFour").Trim();
                if (digits.Length != 4 || !digits.All(char.IsAsciiDigit))
                {
                    throw new HelplineException(ErrorCodes.Invalid, "'mobileLastFour' must be the last 4 digits of the complainant's mobile.", "mobileLastFour");
                }

                var guard = c.RequestServices!.GetRequiredService<StatusLookupGuard>();
                var reference = c.GetArgument<string>("referenceNumber");
                guard.ThrowIfLocked(reference);
                try
                {
                    var grievance = await GrievancesGraphQL.Service(c).GetAsync(reference, c.CancellationToken);
                    if (PersonalDataMask.LastFour(grievance.Request.Complainant.Mobile) != digits)
                    {
                        throw GrievanceService.Unknown(grievance.ReferenceNumber);
                    }

                    return grievance;
                }
                catch (HelplineException ex) when (ex.Code == GrievanceErrorCodes.UnknownGrievance)
                {
                    guard.Failed(reference);
                    throw;
                }
            });
}

internal sealed class PublicGrievanceStatusGraphType : ObjectGraphType<Grievance>
{
    public PublicGrievanceStatusGraphType()
    {
        Name = "PublicGrievanceStatus";
        Description = "Where a grievance stands, as the public may see it: no personal data, no text written by anyone.";
        Field(x => x.ReferenceNumber);
        Field<NonNullGraphType<GrievanceKindGraphType>>("kind").Resolve(c => c.Source.Request.Kind);
        Field(x => x.Status, type: typeof(NonNullGraphType<GrievanceStatusGraphType>));
        Field(x => x.RegisteredAt).Description("Registration instant (UTC).");
        Field<NonNullGraphType<StringGraphType>>("department").Resolve(c => GrievanceGraphType.Catalogue(c).FindDepartment(c.Source.DepartmentId)?.Name ?? c.Source.DepartmentId);
        Field<NonNullGraphType<StringGraphType>>("category").Resolve(c => GrievanceGraphType.Catalogue(c).FindCategory(c.Source.Request.CategoryId)?.Name ?? c.Source.Request.CategoryId);
        Field<NonNullGraphType<StringGraphType>>("office").Description("The seat handling it now.")
            .Resolve(c => GrievanceGraphType.Officers(c).FindPosition(c.Source.PositionId)?.Title ?? c.Source.PositionId);
        Field(x => x.Level).Description("1 (L1) to 4 (L4).");
        Field(x => x.DueAt, nullable: true).Description("Current due date (UTC).");
        Field(x => x.ClosedAt, nullable: true).Description("Disposal instant (UTC).");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("lastChangedAt").Resolve(c => c.Source.Timeline.Count == 0 ? c.Source.RegisteredAt : c.Source.Timeline[^1].At);
    }
}

/// <summary>
/// Counts wrong tries of the public status lookup per reference number (on this silo), so that the four digits cannot
/// be guessed by trying all 10,000.
/// </summary>
internal sealed class StatusLookupGuard(TimeProvider clock)
{
    private const int MaxFailures = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _failures = new(StringComparer.Ordinal);

    public void ThrowIfLocked(string referenceNumber)
    {
        var key = Key(referenceNumber);
        if (_failures.TryGetValue(key, out var entry) && clock.GetUtcNow() - entry.Since < Window && entry.Count >= MaxFailures)
        {
            throw new HelplineException(GrievanceErrorCodes.TooManyAttempts, "Too many wrong tries for this reference number; try again in 15 minutes, or call the helpline.", "mobileLastFour");
        }
    }

    public void Failed(string referenceNumber)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count > 100_000)
        {
            _failures.Clear(); // bounded: a flood of distinct numbers must not grow memory without limit
        }

        _failures.AddOrUpdate(Key(referenceNumber), (1, now), (_, e) => now - e.Since >= Window ? (1, now) : (e.Count + 1, e.Since));
    }

    private static string Key(string referenceNumber) => new([.. referenceNumber.Where(char.IsAsciiDigit)]);
}
