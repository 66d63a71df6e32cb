using GraphQL;
using GraphQL.Types;
using Helpline.Platform.Access;
using Helpline.Grievances.Grains;
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
                await guard.ThrowIfLockedAsync(reference);
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
                    await guard.FailedAsync(reference);
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

/// <summary>The public status lookup's limit on wrong tries, held per reference number by a grain (cluster-wide).</summary>
internal sealed class StatusLookupGuard(IGrainFactory grains)
{
    public async Task ThrowIfLockedAsync(string referenceNumber)
    {
        if (await Guard(referenceNumber).IsLocked())
        {
            throw new HelplineException(GrievanceErrorCodes.TooManyAttempts, "Too many wrong tries for this reference number; try again in 15 minutes, or call the helpline.", "mobileLastFour");
        }
    }

    public Task FailedAsync(string referenceNumber) => Guard(referenceNumber).Failed();

    // By digits, so that "2600 0000 0014" and "260000000014" share one count; a prefix, because Orleans stores a key of
    // digits alone as an integer key.
    private IStatusLookupGuardGrain Guard(string referenceNumber) =>
        grains.GetGrain<IStatusLookupGuardGrain>("status:" + new string([.. referenceNumber.Where(char.IsAsciiDigit).Take(40)]));
}
