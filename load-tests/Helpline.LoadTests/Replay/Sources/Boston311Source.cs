namespace Helpline.LoadTests.Replay.Sources;

/// <summary>
/// Boston 311 CSV. sourceId CASE_ENQUIRY_ID; registeredAt OPEN_DT; dueAt TARGET_DT (blank: no SLA); closedAt
/// CLOSED_DT when CASE_STATUS is Closed (an Open case keeps no closing date: note open_with_closed_date; a Closed
/// case without one is rejected); department the Department code (PWDx); category TYPE; description CASE_TITLE,
/// else TYPE; area neighborhood (blank: the city); closure CLOSURE_REASON; Boston's verdict OnTime_Status.
/// Times are local in America/New_York.
/// </summary>
public sealed class Boston311Source(Stream stream, SourceProfile profile) : CsvSource(stream, profile)
{
    private static readonly CsvColumn[] BostonColumns =
    [
        new("CASE_ENQUIRY_ID", true),
        new("OPEN_DT", true),
        new("TARGET_DT", true, "sla_target_dt"),
        new("CLOSED_DT", true),
        new("CASE_STATUS", true),
        new("TYPE", true),
        new("Department", true),
        new("OnTime_Status", false, "on_time"),
        new("CASE_TITLE", false),
        new("neighborhood", false),
        new("CLOSURE_REASON", false),
    ];

    protected override IReadOnlyList<CsvColumn> Columns => BostonColumns;

    public override bool HasVerdicts => true;

    protected override RowFields Map(long row, long line, string raw, Func<string, string?> get)
    {
        var status = RecordRules.Clean(get("CASE_STATUS"));
        return new RowFields
        {
            Row = row,
            Line = line,
            Raw = raw,
            SourceId = get("CASE_ENQUIRY_ID"),
            OpenedAt = get("OPEN_DT"),
            DueAt = get("TARGET_DT"),
            ClosedAt = get("CLOSED_DT"),
            StatusText = status,
            State = status?.ToUpperInvariant() switch
            {
                null => CaseState.Missing,
                "OPEN" => CaseState.Open,
                "CLOSED" => CaseState.Closed,
                _ => CaseState.Unknown,
            },
            Department = get("Department"),
            Category = get("TYPE"),
            Description = get("CASE_TITLE"),
            Area = get("neighborhood"),
            Closure = get("CLOSURE_REASON"),
            Verdict = get("OnTime_Status"),
        };
    }
}
