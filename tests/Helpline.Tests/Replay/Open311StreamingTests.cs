using System.Text;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.Tests.Replay;

/// <summary>The Open311 reader is a token stream: records larger than its buffer, odd documents, broken JSON.</summary>
public sealed class Open311StreamingTests
{
    [Fact]
    public void Many_records_across_buffer_refills_keep_their_row_and_line_numbers()
    {
        var text = new StringBuilder("{\n  \"meta\": {\"count\": [1, 2, {\"x\": null}]},\n  \"service_requests\": [\n");
        const int count = 3000;
        for (var i = 1; i <= count; i++)
        {
            var description = new string('d', i % 7 == 0 ? 70_000 : 40); // some records longer than the 64 KiB buffer
            text.Append(i == 1 ? "" : ",\n")
                .Append("    {\n      \"service_request_id\": ").Append(i)
                .Append(",\n      \"status\": \"open\",\n      \"service_name\": \"Pothole \\u00e9\\\"q\\\"\",\n      \"description\": \"")
                .Append(description)
                .Append("\",\n      \"requested_datetime\": \"2010-11-15T01:05:25-08:00\"\n    }");
        }

        text.Append("\n  ],\n  \"after\": 1\n}\n");
        var source = ReplayTestData.FromText(ReplayFormat.Open311, text.ToString(), out var stream);
        using (stream)
        {
            var results = source.ReadRows().ToList();

            Assert.Equal(count, results.Count);
            Assert.All(results, r => Assert.NotNull(r.Accepted));
            for (var i = 0; i < count; i++)
            {
                var row = results[i].Accepted!;
                Assert.Equal(i + 1, row.Row);
                Assert.Equal(4 + (7L * i), row.Line); // each record takes 7 lines, the first starts on line 4
                Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), row.Record.SourceId);
            }

            Assert.Equal("Pothole é\"q\"", results[0].Accepted!.Record.Category);
            Assert.Equal(RecordRules.MaxText, results[6].Accepted!.Record.Description.Length);
            Assert.Contains(RowNotes.Truncated, results[6].Accepted!.Notes);
            Assert.Equal(0, source.DuplicateKeys);
        }
    }

    [Fact]
    public void Broken_json_stops_the_run_after_the_records_before_it_with_the_line()
    {
        const string json = "[\n{\"service_request_id\": 1, \"status\": \"open\", \"service_name\": \"A\", \"requested_datetime\": \"2010-11-15 08:00\"},\n{\"service_request_id\": 2, \"status\": \n";
        var source = ReplayTestData.FromText(ReplayFormat.Open311, json, out var stream);
        using (stream)
        {
            var seen = new List<ReadResult>();
            var ex = Assert.Throws<ReplayInputException>(() =>
            {
                foreach (var r in source.ReadRows())
                {
                    seen.Add(r);
                }
            });

            Assert.Single(seen);
            Assert.Contains("JSON", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.Line >= 3, ex.Message);
        }
    }

    [Theory]
    [InlineData("{\"errors\": []}")]
    [InlineData("42")]
    [InlineData("{\"requests\": {\"a\": 1}}")]
    public void A_document_without_a_requests_array_stops_the_run(string json)
    {
        var source = ReplayTestData.FromText(ReplayFormat.Open311, json, out var stream);
        using (stream)
        {
            Assert.Throws<ReplayInputException>(() => source.ReadRows().ToList());
        }
    }

    [Fact]
    public void The_raw_row_keeps_repeated_keys_in_file_order()
    {
        var (results, _) = ReplayTestData.Read("open311_head100.json");

        var raw = results[0].Accepted!.Raw;
        Assert.Equal(
            "{\"lon\":-122.4134,\"lat\":37.774456,\"status\":\"Open\",\"zipcode\":94103,\"address\":\"1325  HOWARD ST SAN FRANCISCO , CA \","
            + "\"service_name\":\"Lifted_sidewalk_other\",\"service_code\":71,\"updated_datetime\":\"null\",\"expected_datetime\":\"2010-11-22 01:05:25.0\","
            + "\"service_request_id\":771970,\"requested_datetime\":\"2010-11-15 01:05:25.727\",\"updated_datetime\":\"true\",\"expected_datetime\":\"null\"}",
            raw);
        // The first occurrence carries the date; the repeated "null"/"true" markers do not override it (last-wins would lose it).
        Assert.Equal("2010-11-22T09:05:25Z", SourceTime.Format(results[0].Accepted!.Record.DueAt!.Value));
    }
}
