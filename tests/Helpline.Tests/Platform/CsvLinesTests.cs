using Helpline.Jurisdictions.Loading;
using Helpline.Platform.Csv;

namespace Helpline.Tests.Platform;

/// <summary>The one CSV reader of the modules' files, and how the readers built on it word a broken file.</summary>
public sealed class CsvLinesTests
{
    private static List<CsvLine> Read(string text, bool lineBreaksInQuotes = false) =>
        CsvLines.Read(new StringReader(text), lineBreaksInQuotes).ToList();

    private static string Lines(IEnumerable<CsvLine> lines) => string.Join(' ', lines.Select(l => l.Line));

    private static string Fields(CsvLine line) => string.Join('|', line.Fields);

    [Fact]
    public void Quoted_fields_unquote_and_blank_lines_are_skipped_but_counted()
    {
        var lines = Read("id,name\r\n\r\n  \n1,\"Sita \"\"Devi\"\", Lucknow\"\n2,\n");

        Assert.Equal("1 4 5", Lines(lines));
        Assert.Equal("1|Sita \"Devi\", Lucknow", Fields(lines[1]));
        Assert.Equal("2|", Fields(lines[2]));
        Assert.All(lines, l => Assert.Equal(CsvQuoting.Ok, l.Quoting));
    }

    [Fact]
    public void A_quote_left_open_is_reported_on_its_line_and_the_next_line_is_read_on_its_own()
    {
        var lines = Read("a,b\n1,\"open\n2,x\n");

        Assert.Equal(CsvQuoting.NotClosed, lines[1].Quoting);
        Assert.Equal(2, lines[1].Line);
        Assert.Equal((3, CsvQuoting.Ok), (lines[2].Line, lines[2].Quoting));
        Assert.Equal("2|x", Fields(lines[2]));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported_and_a_stray_quote_in_an_unquoted_field_is_text()
    {
        var lines = Read("\"ab\"c,d\nab\"c,d\n");

        Assert.Equal(CsvQuoting.TextAfterClosingQuote, lines[0].Quoting);
        Assert.Equal((CsvQuoting.Ok, "ab\"c"), (lines[1].Quoting, lines[1].Fields[0]));
    }

    [Fact]
    public void With_line_breaks_in_quotes_a_field_spans_lines_and_the_record_keeps_its_first_line()
    {
        var lines = Read("h1,h2\n\"two\nlines\",x\nnext,y\n", lineBreaksInQuotes: true);

        Assert.Equal("1 2 4", Lines(lines));
        Assert.Equal("two\nlines", lines[1].Fields[0]);
    }

    [Fact]
    public void The_jurisdiction_table_names_the_file_and_line_of_a_quote_never_closed()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvTable.Parse("blocks.csv", new StringReader("Block Code,Block Name\n1,ok\n2,\"never closed\n")));

        Assert.Equal("blocks.csv, line 3: a quoted field is not closed.", error.Message);
    }
}
