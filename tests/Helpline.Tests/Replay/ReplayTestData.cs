using System.Text;
using System.Text.Json.Nodes;
using Helpline.LoadTests.Replay;
using Helpline.LoadTests.Replay.Sources;

namespace Helpline.Tests.Replay;

/// <summary>The replay test files (TestData/replay, see its README.md) and the expectations expected.py computed for them.</summary>
internal static class ReplayTestData
{
    private static readonly Lazy<JsonObject> Expected = new(() =>
        JsonNode.Parse(File.ReadAllText(PathOf("expected.json")))!.AsObject());

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "replay", name);

    /// <summary>The instant expected.py judged open records at.</summary>
    public static DateTimeOffset Now => DateTimeOffset.Parse(Expected.Value["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject ExpectedFor(string file) => Expected.Value["files"]![file]!.AsObject();

    public static IEnumerable<string> Files => Expected.Value["files"]!.AsObject().Select(p => p.Key);

    public static ReplayFormat FormatOf(string file) =>
        SourceProfile.TryParseFormat(ExpectedFor(file)["format"]!.GetValue<string>(), out var format) ? format : throw new InvalidOperationException(file);

    /// <summary>Reads a test file with the tool's reader, to the end.</summary>
    public static (List<ReadResult> Results, IReplaySource Source) Read(string file)
    {
        using var stream = File.OpenRead(PathOf(file));
        var source = ReplaySources.Open(FormatOf(file), stream);
        return (source.ReadRows().ToList(), source);
    }

    /// <summary>A source over text held in memory.</summary>
    public static IReplaySource FromText(ReplayFormat format, string text, out Stream stream)
    {
        stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return ReplaySources.Open(format, stream);
    }
}
