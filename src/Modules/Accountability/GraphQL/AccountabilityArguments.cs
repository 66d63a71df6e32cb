using GraphQL;
using Helpline.Accountability.Rankings;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.Modules;
using Helpline.Platform.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Accountability.GraphQL;

/// <summary>Reading and checking the arguments of the module's fields, and who may see what.</summary>
internal sealed partial class AccountabilityGraphQL
{
    private const int MaxPage = 1000;
    private const int DefaultPage = 100;

    private static (int First, int Offset) Page(IResolveFieldContext c)
    {
        var first = c.GetArgument<int?>("first") ?? DefaultPage;
        var offset = c.GetArgument<int?>("offset") ?? 0;
        if (first is < 1 or > MaxPage)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"first must be 1..{MaxPage}.", "first");
        }

        return offset is < 0 or > 1_000_000 ? throw new HelplineException(ErrorCodes.Invalid, "offset must be 0..1000000.", "offset") : (first, offset);
    }

    private static DateOnly Month(IResolveFieldContext c) =>
        Period.ParseMonth(c.GetArgument<string>("month") ?? "") is { } m && m.Year is >= 2000 and <= 2100
            ? m
            : throw new HelplineException(ErrorCodes.Invalid, "month must be a month written yyyy-MM, for example 2026-11.", "month");

    private static Guid FlagId(IResolveFieldContext c, string argument = "id") =>
        Guid.TryParse(c.GetArgument<string>(argument), out var id)
            ? id
            : throw new HelplineException(AccountabilityErrorCodes.UnknownFlag, $"{argument} is not a flag id (a UUID).", argument);

    private static string Reference(IResolveFieldContext c)
    {
        var raw = c.GetArgument<string>("referenceNumber") ?? "";
        var digits = raw.Length <= 40 ? raw.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) : raw;
        return digits.Length == 12 && digits.All(char.IsAsciiDigit)
            ? digits
            : throw new HelplineException(ErrorCodes.Invalid, "referenceNumber must be a 12-digit reference number (spaces and hyphens allowed).", "referenceNumber");
    }

    // Remarks and reasons follow the one rule for text people type: visible characters, no bidirectional overrides. That
    // rule counts characters as people see them; the stored size is bounded too (four UTF-16 units a character is ample
    // for Devanagari conjuncts), or a character with a hundred combining marks would count as one.
    private static string Text(IResolveFieldContext c, string argument, int max)
    {
        var value = c.GetArgument<string>(argument);
        return value is { Length: var n } && n > 4 * max
            ? throw new HelplineException(ErrorCodes.TooLong, $"'{argument}' is at most {max} characters.", argument)
            : UserText.Require(value, max, argument);
    }

    private static string? Key(IResolveFieldContext c, string argument) => GraphQLArguments.Id(c, argument);

    // An officer sees their own record; a supervisor their team's; a token limited to departments or places, officers seated there.
    private static void RequireSees(IResolveFieldContext c, string officerId)
    {
        var caller = Caller.Of(c);
        var officer = c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindOfficer(officerId)
            ?? throw new HelplineException(OfficerErrorCodes.UnknownOfficer, $"No officer has the id '{officerId}'.", "officerId");
        var seat = officer.PositionId is null ? null : c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindPosition(officer.PositionId);
        var sees = caller.Role switch
        {
            Role.Officer => officerId == caller.Subject,
            Role.Supervisor => officerId == caller.Subject || (seat is not null && TeamSeats(c).Contains(seat.Id)),
            _ => caller.Scope.Departments is null && caller.Scope.Jurisdictions is null
                || (seat is not null && caller.Scope.Covers(new GrievanceCoordinates(seat.DepartmentId, PathOf(c, seat.JurisdictionId), seat.Id, officerId))),
        };
        if (!sees)
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"Officer {officerId} is outside your view.", "officerId");
        }
    }

    private static void RequireUnitInScope(IResolveFieldContext c, RankingLevel level, string unitId)
    {
        var scope = Caller.Of(c).Scope;
        if (scope.IsUnlimited)
        {
            return;
        }

        // A supervisor's view is their team's officers; a department's evidence spans every place, a place's every
        // department, so a token limited to either sees only the offices wholly inside its limits.
        var inScope = level switch
        {
            RankingLevel.Officer => Officer(c, unitId),
            _ when scope.Positions is not null || scope.HolderOfficerId is not null => false,
            RankingLevel.Department => scope.Jurisdictions is null && scope.Departments!.Contains(unitId),
            _ => scope.Departments is null && scope.Jurisdictions is { } places && PathOf(c, unitId).Any(places.Contains),
        };
        if (!inScope)
        {
            throw new HelplineException(AccessErrorCodes.OutOfScope, $"{level} {unitId} is outside your token's scope.", "unitId");
        }

        bool Officer(IResolveFieldContext c, string id)
        {
            try
            {
                RequireSees(c, id);
                return true;
            }
            catch (HelplineException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The seats below a supervisor's own: their team. Colleagues posted to the supervisor's own seat (a pool) are not
    /// theirs to grade or to watch; a seat below whose charge the supervisor holds during a leave stays their team's.
    /// </summary>
    private static HashSet<string> TeamSeats(IResolveFieldContext c)
    {
        var caller = Caller.Of(c);
        var own = OwnSeat(c);
        return caller.Scope.Positions is { } seats ? [.. seats.Where(p => p != own)] : [];
    }

    /// <summary>The seat the caller is posted to, if they are an officer.</summary>
    private static string? OwnSeat(IResolveFieldContext c) =>
        c.RequestServices!.GetRequiredService<IOfficerDirectory>().FindOfficer(Caller.Of(c).Subject)?.PositionId;

    private static string[] PathOf(IResolveFieldContext c, string jurisdictionId) =>
        [.. c.RequestServices!.GetRequiredService<IJurisdictionDirectory>().PathToRoot(jurisdictionId).Select(j => j.Id)];
}
