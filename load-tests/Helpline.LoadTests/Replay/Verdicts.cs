namespace Helpline.LoadTests.Replay;

/// <summary>Helpline's verdict on a record, as counted in the report (the four are exclusive).</summary>
public enum HelplineVerdict
{
    /// <summary>Closed, with a due date, and closedAt &lt;= dueAt.</summary>
    OnTime,

    /// <summary>Closed after its due date, or still open with its due date in the past (breached).</summary>
    Overdue,

    /// <summary>Still open and its due date has not passed.</summary>
    Open,

    /// <summary>No due date: no SLA, never overdue, whether open or closed.</summary>
    NoDueDate,
}

/// <summary>The verdict rule, pure: the same on the client, in the tests and (by contract) on the server.</summary>
public static class Verdicts
{
    /// <summary>The verdict on <paramref name="record"/> at <paramref name="now"/> (which only matters for open records).</summary>
    public static HelplineVerdict Of(ReplayRecord record, DateTimeOffset now)
    {
        if (record.DueAt is not { } due)
        {
            return HelplineVerdict.NoDueDate;
        }

        if (record.ClosedAt is { } closed)
        {
            return closed <= due ? HelplineVerdict.OnTime : HelplineVerdict.Overdue;
        }

        return due < now ? HelplineVerdict.Overdue : HelplineVerdict.Open;
    }

    /// <summary>
    /// Whether Helpline agrees with the source's own verdict; null when there is nothing to compare: the record is
    /// not closed, has no due date, or the source gave no verdict.
    /// </summary>
    public static bool? Agrees(ReplayRecord record, SourceVerdict? sourceVerdict)
    {
        if (sourceVerdict is null || record.ClosedAt is not { } closed || record.DueAt is not { } due)
        {
            return null;
        }

        var onTime = closed <= due;
        return onTime == (sourceVerdict == SourceVerdict.OnTime);
    }
}
