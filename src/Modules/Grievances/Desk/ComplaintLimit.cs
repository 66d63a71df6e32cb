using System.Globalization;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;

namespace Helpline.Grievances.Desk;

/// <summary>The limit of complaints per mobile a calendar month (IST), with the overrides supervisors granted.</summary>
internal sealed class ComplaintLimit(DeskQueries queries, DeskSettings settings, TimeProvider clock)
{
    // India keeps one offset all year (no daylight saving), so a fixed offset is IST exactly, with no time zone data.
    private static readonly TimeSpan Ist = new(5, 30, 0);

    /// <summary>The caller's month now (see <see cref="CallerMonth"/>); <paramref name="mobile"/> is normalised already.</summary>
    public async Task<CallerMonth> MonthAsync(string mobile, CancellationToken cancellationToken)
    {
        var (month, from, before) = MonthOf(clock.GetUtcNow());
        var (complaints, overrides) = await queries.MonthAsync(mobile, month, from, before, cancellationToken);
        return new CallerMonth(mobile, month, complaints, settings.MonthlyComplaintLimit, overrides);
    }

    /// <summary>MONTHLY_LIMIT_REACHED for a complaint whose write <paramref name="check"/> refused (<paramref name="refusal"/>).</summary>
    public static HelplineException Refused(ComplaintLimitCheck check, ComplaintLimitCheck.Refusal refusal)
    {
        var extra = refusal.ExtraAllowed > 0 ? $" and {refusal.ExtraAllowed} more were allowed" : "";
        return new HelplineException(
            GrievanceErrorCodes.MonthlyLimitReached,
            $"Mobile {PersonalDataMask.Mobile(check.Mobile)} has registered {refusal.Complaints} complaints in {check.Month} (IST); the limit is {check.Limit} a month per mobile{extra}. Nothing was registered. A supervisor may allow one more (allowExtraComplaint) with a reason.",
            "input.complainant.mobile");
    }

    /// <summary>The IST calendar month of an instant: <c>yyyy-MM</c>, and its first instant and the next month's, as UTC instants.</summary>
    public static (string Month, DateTimeOffset From, DateTimeOffset Before) MonthOf(DateTimeOffset now)
    {
        var local = now.ToOffset(Ist);
        var from = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, Ist);
        return (from.ToString("yyyy-MM", CultureInfo.InvariantCulture), from.ToUniversalTime(), from.AddMonths(1).ToUniversalTime());
    }
}
