using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.Tests.Replay;

/// <summary>Header oddities: loose matching, repeated and missing columns, other spellings of the same export.</summary>
public sealed class CsvHeaderTests
{
    [Fact]
    public void The_synthetic_boston_header_is_read_despite_its_bom_spacing_case_and_repeated_column()
    {
        var (results, source) = ReplayTestData.Read("boston311_synthetic.csv");

        Assert.Equal(26, results.Count);
        Assert.Equal(
            ["column 25 'ward' repeats column 24; the first is read", "column ' Case_Status ' read as CASE_STATUS"],
            source.HeaderNotes);
        Assert.True(source.HasVerdicts);
        Assert.Null(source.DuplicateKeys);
    }

    [Fact]
    public void A_missing_required_column_stops_the_run_before_any_row()
    {
        var source = ReplayTestData.FromText(ReplayFormat.Boston311, "CASE_ENQUIRY_ID,OPEN_DT,CLOSED_DT,CASE_STATUS,TYPE,Department\n1,x,y,z,a,b\n", out var stream);
        using (stream)
        {
            var ex = Assert.Throws<ReplayInputException>(() => source.ReadRows().ToList());
            Assert.Contains("TARGET_DT", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, ex.Line);
        }
    }

    [Fact]
    public void An_empty_file_stops_the_run()
    {
        var source = ReplayTestData.FromText(ReplayFormat.Nyc311, "", out var stream);
        using (stream)
        {
            Assert.Throws<ReplayInputException>(() => source.ReadRows().ToList());
        }
    }

    [Fact]
    public void Nyc_api_style_snake_case_columns_and_iso_times_are_read_and_a_missing_optional_column_is_noted()
    {
        const string csv = """
            unique_key,created_date,closed_date,agency,complaint_type,descriptor,status,borough
            40000001,2018-06-26T10:58:54.000,2018-06-26T12:50:01.000,NYPD,Noise - Residential,Loud Music/Party,Closed,STATEN ISLAND
            40000002,2018-06-26T11:00:00.000,,DSNY,Dirty Conditions,,Open,Unspecified
            40000003,2018-06-26T11:00:00.000,,DSNY,Dirty Conditions,Trash,Closed,BRONX
            """;
        var source = ReplayTestData.FromText(ReplayFormat.Nyc311, csv, out var stream);
        using (stream)
        {
            var results = source.ReadRows().ToList();

            Assert.Contains("no column Due Date: read as blank", source.HeaderNotes);
            Assert.Contains("column 'unique_key' read as Unique Key", source.HeaderNotes);
            var first = results[0].Accepted!.Record;
            Assert.Equal("2018-06-26T14:58:54Z", SourceTime.Format(first.RegisteredAt)); // EDT +4 h
            Assert.Equal("2018-06-26T16:50:01Z", SourceTime.Format(first.ClosedAt!.Value));
            Assert.Null(first.DueAt);
            Assert.Equal("Staten Island", first.Area);
            Assert.Equal("NYPD", first.Department);
            Assert.Equal("Loud Music/Party", first.Description);
            var second = results[1].Accepted!;
            Assert.Null(second.Record.Area);
            Assert.Equal("Dirty Conditions", second.Record.Description);
            Assert.Contains(RowNotes.DescriptionFromCategory, second.Notes);
            Assert.Equal(RejectReasons.ClosedWithoutDate, results[2].Rejected!.Reason);
            Assert.Equal(4, results[2].Rejected!.Line);
        }
    }

    [Fact]
    public void A_quoted_field_spanning_lines_keeps_row_and_line_numbers_apart()
    {
        const string csv = "Unique Key,Created Date,Closed Date,Due Date,Agency,Complaint Type,Descriptor,Status,Borough,Resolution Description\n"
            + "1,03/01/2011 02:27:57 PM,03/14/2011 03:59:20 PM,,DOF,Refunds,Misapplied,Closed,QUEENS,\"first line\nsecond line\"\n"
            + ",03/01/2011 02:27:57 PM,,,DOF,Refunds,Misapplied,Open,QUEENS,\n";
        var source = ReplayTestData.FromText(ReplayFormat.Nyc311, csv, out var stream);
        using (stream)
        {
            var results = source.ReadRows().ToList();

            Assert.Equal("first line\nsecond line", results[0].Accepted!.Record.Closure);
            Assert.Equal((2L, 4L), (results[1].Rejected!.Row, results[1].Rejected!.Line));
            Assert.Equal(RejectReasons.MissingId, results[1].Rejected!.Reason);
        }
    }

    [Fact]
    public void Format_names_and_profiles()
    {
        Assert.True(SourceProfile.TryParseFormat("Boston311", out var boston));
        Assert.Equal(new SourceProfile("boston311", "Boston", "America/New_York", "BOSTON311"), SourceProfile.For(boston));
        Assert.True(SourceProfile.TryParseFormat("nyc311", out var nyc));
        Assert.Equal("New York City", SourceProfile.For(nyc).Name);
        Assert.True(SourceProfile.TryParseFormat("open311", out var open311));
        Assert.Equal(("sf311", "San Francisco", "America/Los_Angeles"), (SourceProfile.For(open311).Code, SourceProfile.For(open311).Name, SourceProfile.For(open311).TimeZoneId));
        Assert.False(SourceProfile.TryParseFormat("chicago311", out _));
    }
}
