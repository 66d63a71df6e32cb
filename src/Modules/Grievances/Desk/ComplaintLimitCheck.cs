using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Helpline.Grievances.Desk;

/// <summary>
/// A new complaint's monthly limit, checked by the statement that comes before its first write in the same transaction
/// (<c>grievances.require_complaint_under_limit</c>): over the limit, nothing of the transaction commits.
/// </summary>
/// <param name="Mobile">The complainant's mobile, normalised.</param>
/// <param name="Month">The IST month, <c>yyyy-MM</c>.</param>
/// <param name="From">The month's first instant.</param>
/// <param name="Before">The next month's first instant.</param>
/// <param name="Limit">Complaints a mobile may register a month, before any extra a supervisor allowed.</param>
internal sealed partial record ComplaintLimitCheck(string Mobile, string Month, DateTimeOffset From, DateTimeOffset Before, int Limit)
{
    /// <summary>The SQLSTATE of a complaint over the limit.</summary>
    public const string OverLimit = "HL429";

    /// <summary>
    /// The check <paramref name="request"/>'s first write makes, for the IST month of <paramref name="registeredAt"/>;
    /// null for other kinds, or when the state set no limit. The count sees the complaints committed before it and those
    /// of the same gathered transaction, not those of a transaction in flight beside it: registrations from one mobile at
    /// the same moment may all pass, as many over the limit as were sent together. Making that exact would hold a lock
    /// per mobile across the whole registration; the limit guards against misuse of the line, not money, and one caller
    /// on one line sends one at a time.
    /// </summary>
    public static ComplaintLimitCheck? For(DeskSettings settings, RegisterGrievance request, DateTimeOffset registeredAt)
    {
        if (settings.MonthlyComplaintLimit <= 0 || request.Kind != GrievanceKind.Complaint)
        {
            return null;
        }

        var (month, from, before) = ComplaintLimit.MonthOf(registeredAt);
        return new ComplaintLimitCheck(request.Complainant.Mobile, month, from, before, settings.MonthlyComplaintLimit);
    }

    /// <summary>What the count found when it refused: the month's complaints and the extra ones allowed.</summary>
    public sealed record Refusal(int Complaints, int ExtraAllowed);

    /// <summary>The command to place before the complaint's first write, in the same transaction.</summary>
    public NpgsqlBatchCommand Command()
    {
        var cmd = new NpgsqlBatchCommand("select grievances.require_complaint_under_limit($1, $2, $3, $4, $5)");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Mobile });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Month });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = From.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Before.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Limit });
        return cmd;
    }

    /// <summary>The refusal <paramref name="error"/> carries, when it is this check's own.</summary>
    public static Refusal? Of(Exception? error) =>
        error is PostgresException { SqlState: OverLimit } refused && Figures().Match(refused.MessageText) is { Success: true } m
            ? new Refusal(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"(\d+) complaints, (\d+) extra allowed$", RegexOptions.CultureInvariant)]
    private static partial Regex Figures();
}
