using System.Globalization;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Desk;

/// <summary>The limit of complaints per mobile a calendar month (IST), with the overrides supervisors granted.</summary>
internal sealed class ComplaintLimit(DeskQueries queries, DeskSettings settings, TimeProvider clock)
{
    // India keeps one offset all year (no daylight saving), so a fixed offset is IST exactly, with no time zone data.
    private static readonly TimeSpan Ist = new(5, 30, 0);

    /// <summary>False when the state set no limit (0): registrations then skip the check altogether.</summary>
    public bool Applies => settings.MonthlyComplaintLimit > 0;

    /// <summary>The caller's month now (see <see cref="CallerMonth"/>); <paramref name="mobile"/> is normalised already.</summary>
    public async Task<CallerMonth> MonthAsync(string mobile, CancellationToken cancellationToken)
    {
        var (month, from, before) = MonthOf(clock.GetUtcNow());
        var (complaints, overrides) = await queries.MonthAsync(mobile, month, from, before, cancellationToken);
        return new CallerMonth(mobile, month, complaints, settings.MonthlyComplaintLimit, overrides);
    }

    /// <summary>
    /// Refuses a new complaint from a mobile that has none remaining this month (MONTHLY_LIMIT_REACHED). The count is
    /// of the read model, which a registration writes before it answers: registrations from one mobile at the same
    /// moment each count the others' rows only if they are already written, so all of them may pass, as many over the
    /// limit as were sent together. Making that exact would hold a lock per mobile across the whole registration; the
    /// limit guards against misuse of the line, not money, and one caller on one line sends one at a time.
    /// </summary>
    public async Task RequireUnderLimitAsync(string mobile, CancellationToken cancellationToken)
    {
        if (!Applies)
        {
            return;
        }

        var m = await MonthAsync(mobile, cancellationToken);
        if (m.OverLimit)
        {
            throw new HelplineException(
                GrievanceErrorCodes.MonthlyLimitReached,
                $"Mobile {PersonalDataMask.Mobile(mobile)} has registered {m.Complaints} complaints in {m.Month} (IST); the limit is {m.Limit} a month per mobile{(m.ExtraAllowed > 0 ? $" and {m.ExtraAllowed} more were allowed" : "")}. Nothing was registered. A supervisor may allow one more (allowExtraComplaint) with a reason.",
                "input.complainant.mobile");
        }
    }

    /// <summary>The IST calendar month of an instant: <c>yyyy-MM</c>, and its first instant and the next month's, as UTC instants.</summary>
    public static (string Month, DateTimeOffset From, DateTimeOffset Before) MonthOf(DateTimeOffset now)
    {
        var local = now.ToOffset(Ist);
        var from = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Ist);
        return (from.ToString("yyyy-MM", CultureInfo.InvariantCulture), from.ToUniversalTime(), from.AddMonths(1).ToUniversalTime());
    }
}
