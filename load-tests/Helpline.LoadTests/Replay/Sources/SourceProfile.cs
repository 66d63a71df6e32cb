namespace Helpline.LoadTests.Replay.Sources;

/// <summary>The export formats the tool reads.</summary>
public enum ReplayFormat
{
    /// <summary>Boston 311 CSV (CASE_ENQUIRY_ID, OPEN_DT, TARGET_DT, CLOSED_DT, OnTime_Status, CASE_STATUS, ...).</summary>
    Boston311,

    /// <summary>NYC 311 CSV export (Unique Key, Created Date, Closed Date, Due Date, Agency, Complaint Type, ...).</summary>
    Nyc311,

    /// <summary>Open311 GeoReport v2 requests JSON (San Francisco's SF311 by default).</summary>
    Open311,
}

/// <summary>
/// Who the records come from: the source code, the jurisdiction root's name and the IANA zone local times are read in,
/// and the department sent when a record names none (Open311 records often carry no agency).
/// </summary>
public sealed record SourceProfile(string Code, string Name, string TimeZoneId, string DefaultDepartment)
{
    /// <summary>The profile of a format's usual source: boston311/Boston, nyc311/New York City, sf311/San Francisco.</summary>
    public static SourceProfile For(ReplayFormat format) => format switch
    {
        ReplayFormat.Boston311 => new("boston311", "Boston", "America/New_York", "BOSTON311"),
        ReplayFormat.Nyc311 => new("nyc311", "New York City", "America/New_York", "NYC311"),
        ReplayFormat.Open311 => new("sf311", "San Francisco", "America/Los_Angeles", "SF311"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Parses the command-line name of a format: boston311, nyc311 or open311 (any case).</summary>
    public static bool TryParseFormat(string text, out ReplayFormat format)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "boston311":
                format = ReplayFormat.Boston311;
                return true;
            case "nyc311":
                format = ReplayFormat.Nyc311;
                return true;
            case "open311":
                format = ReplayFormat.Open311;
                return true;
            default:
                format = default;
                return false;
        }
    }
}
