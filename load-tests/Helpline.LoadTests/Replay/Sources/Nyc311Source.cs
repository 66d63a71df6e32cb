using System.Globalization;

namespace Helpline.LoadTests.Replay.Sources;

/// <summary>
/// NYC 311 CSV export (the portal's column names; the API's snake_case names match too). sourceId Unique Key;
/// registeredAt Created Date; dueAt Due Date (blank: no SLA); closedAt Closed Date when Status is Closed (every
/// other status — Open, Pending, Assigned, In Progress, Started, Email Sent... — is open and keeps no closing date:
/// note open_with_closed_date); department Agency (code, e.g. NYPD); category Complaint Type; description Descriptor,
/// else Complaint Type; area Borough in title case (Unspecified or blank: the city); closure Resolution Description.
/// NYC keeps no on-time verdict. Times are local in America/New_York.
/// </summary>
public sealed class Nyc311Source(Stream stream, SourceProfile profile) : CsvSource(stream, profile)
{
    private static readonly CsvColumn[] NycColumns =
    [
        new("Unique Key", true),
        new("Created Date", true),
        new("Closed Date", true),
        new("Due Date", false),
        new("Status", true),
        new("Agency", true),
        new("Complaint Type", true),
        new("Descriptor", false),
        new("Borough", false),
        new("Resolution Description", false),
    ];

    protected override IReadOnlyList<CsvColumn> Columns => NycColumns;

    protected override RowFields Map(long row, long line, string raw, Func<string, string?> get)
    {
        var status = RecordRules.Clean(get("Status"));
        return new RowFields
        {
            Row = row,
            Line = line,
            Raw = raw,
            SourceId = get("Unique Key"),
            OpenedAt = get("Created Date"),
            DueAt = get("Due Date"),
            ClosedAt = get("Closed Date"),
            StatusText = status,
            State = status is null ? CaseState.Missing
                : string.Equals(status, "Closed", StringComparison.OrdinalIgnoreCase) ? CaseState.Closed
                : CaseState.Open,
            Department = get("Agency"),
            Category = get("Complaint Type"),
            Description = get("Descriptor"),
            Area = Borough(get("Borough")),
            Closure = get("Resolution Description"),
        };
    }

    /// <summary>BROOKLYN becomes Brooklyn, STATEN ISLAND Staten Island; Unspecified and blank become null (the city).</summary>
    public static string? Borough(string? value)
    {
        var borough = RecordRules.Clean(value);
        if (borough is null || string.Equals(borough, "Unspecified", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(borough.ToLowerInvariant());
    }
}
