using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Helpline.LoadTests.Replay.Sources;

/// <summary>
/// Open311 GeoReport v2 service requests in JSON: a bare array of requests, or an object holding them under
/// <c>requests</c> (or <c>service_requests</c>). Read as a token stream, so a file of any size is never held whole.
/// sourceId service_request_id; registeredAt requested_datetime; dueAt expected_datetime (none: no SLA); closedAt
/// updated_datetime when status is closed (GeoReport: "for requests with status=closed, the date the request was
/// closed"); department agency_responsible, else the profile's default (note default_department); category
/// service_name; description description, else service_name; closure status_notes; area none (the city).
/// Times with an offset are taken at it; times without one (SF311 writes 2010-11-15 01:05:25.727) are local in the
/// profile's zone (America/Los_Angeles for sf311). The string "null" is read as no value (SF311 writes null so).
/// <para>Repeated keys. SF311's export repeats updated_datetime and expected_datetime in every record: the first
/// occurrence holds the date or "null", the second "null" or "true". "Last wins" would throw every date away, so the
/// rule is: occurrences holding null, "null", or a boolean (true/false, as JSON or as text) carry no value; the first
/// occurrence that carries one wins; two occurrences carrying different values reject the record
/// (conflicting_duplicate_key) when it is a key the import reads. Every occurrence beyond the first is counted in
/// <see cref="DuplicateKeys"/>.</para>
/// </summary>
public sealed class Open311Source : IReplaySource
{
    private static readonly string[] ReadKeys =
    [
        "service_request_id", "requested_datetime", "expected_datetime", "updated_datetime", "status",
        "agency_responsible", "service_name", "description", "status_notes",
    ];

    private readonly Stream _stream;
    private readonly RecordRules _rules;
    private readonly Dictionary<string, long> _duplicatesByName = new(StringComparer.Ordinal);
    private long _duplicates;

    public Open311Source(Stream stream, SourceProfile profile)
    {
        _stream = stream;
        _rules = new RecordRules(profile);
    }

    public SourceProfile Profile => _rules.Profile;

    public IReadOnlyList<string> HeaderNotes { get; } = [];

    public long? DuplicateKeys => _duplicates;

    public IReadOnlyDictionary<string, long>? DuplicateKeysByName => _duplicatesByName;

    public bool HasVerdicts => false;

    public IEnumerable<ReadResult> ReadRows()
    {
        foreach (var element in new JsonRecordScanner(_stream).Records())
        {
            yield return Map(element);
        }
    }

    private ReadResult Map(JsonElementRecord element)
    {
        var raw = element.Raw();
        if (element.Pairs is null)
        {
            return ReadResult.Reject(new RowReject(element.Row, element.Line, null, RejectReasons.NotAnObject, "an element of the requests array that is not an object", raw));
        }

        var values = new Dictionary<string, List<JsonPair>>(StringComparer.Ordinal);
        foreach (var pair in element.Pairs)
        {
            if (!values.TryGetValue(pair.Key, out var list))
            {
                values[pair.Key] = list = [];
            }
            else
            {
                _duplicates++;
                _duplicatesByName[pair.Key] = _duplicatesByName.GetValueOrDefault(pair.Key) + 1;
            }

            list.Add(pair);
        }

        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in ReadKeys)
        {
            var carrying = values.GetValueOrDefault(key)?.Where(p => p.CarriesValue).Select(p => p.Text!).Distinct(StringComparer.Ordinal).ToList() ?? [];
            if (carrying.Count > 1)
            {
                var id = RecordRules.Clean(values.GetValueOrDefault("service_request_id")?.FirstOrDefault(p => p.CarriesValue)?.Text);
                return ReadResult.Reject(new RowReject(
                    element.Row, element.Line, id, RejectReasons.ConflictingDuplicateKey,
                    $"{key} holds {string.Join(" and ", carrying.Select(v => $"'{v}'"))}", raw));
            }

            resolved[key] = carrying.Count == 1 ? carrying[0] : null;
        }

        var status = resolved["status"];
        return _rules.Apply(new RowFields
        {
            Row = element.Row,
            Line = element.Line,
            Raw = raw,
            SourceId = resolved["service_request_id"],
            OpenedAt = resolved["requested_datetime"],
            DueAt = resolved["expected_datetime"],
            ClosedAt = resolved["updated_datetime"],
            StatusText = status,
            State = RecordRules.Clean(status)?.ToUpperInvariant() switch
            {
                null => CaseState.Missing,
                "OPEN" => CaseState.Open,
                "CLOSED" => CaseState.Closed,
                _ => CaseState.Unknown,
            },
            Department = resolved["agency_responsible"],
            DepartmentMayDefault = true,
            Category = resolved["service_name"],
            Description = resolved["description"],
            Closure = resolved["status_notes"],
        });
    }
}

/// <summary>One key and value of a JSON record, in file order. <see cref="Text"/> is null for JSON null.</summary>
public sealed record JsonPair(string Key, JsonTokenType Type, string? Text)
{
    /// <summary>False for null, the string "null" and booleans (JSON or text), which never carry a value the import reads.</summary>
    public bool CarriesValue =>
        Text is not null
        && Type is not (JsonTokenType.True or JsonTokenType.False)
        && !string.Equals(Text.Trim(), "null", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Text.Trim(), "true", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(Text.Trim(), "false", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An element of the requests array: its position and its pairs (null when it is not an object; then <see cref="Scalar"/>).</summary>
public sealed record JsonElementRecord(long Row, long Line, IReadOnlyList<JsonPair>? Pairs, string? Scalar)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The element as compact JSON, keys in file order and repeated keys kept (nested values shown as "[nested]").</summary>
    public string Raw()
    {
        if (Pairs is null)
        {
            return Scalar ?? "";
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var pair in Pairs)
            {
                writer.WritePropertyName(pair.Key);
                switch (pair.Type)
                {
                    case JsonTokenType.Number:
                        writer.WriteRawValue(pair.Text!, skipInputValidation: true);
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        writer.WriteBooleanValue(pair.Type == JsonTokenType.True);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                    default:
                        writer.WriteStringValue(pair.Text);
                        break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>
/// Streams the elements of a GeoReport requests array out of a JSON document with <see cref="Utf8JsonReader"/>,
/// refilling a buffer as it goes, and tells the 1-based line each element starts on.
/// </summary>
internal sealed class JsonRecordScanner(Stream stream)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private byte[] _buffer = new byte[64 * 1024];
    private int _filled;
    private bool _final;
    private JsonReaderState _state = new(ReaderOptions);

    // Newlines are counted once, from _countedTo onwards; _countedLine is the line at _countedTo.
    private int _countedTo;
    private long _countedLine = 1;

    private bool _rootIsObject;
    private bool _arraySeen;
    private bool _arrayDone;
    private int _arrayDepth = -1;
    private bool _nextValueIsArray;
    private int _skipDepth = -1;
    private long _row;
    private long _recordLine;
    private string? _key;
    private List<JsonPair>? _pairs;

    public IEnumerable<JsonElementRecord> Records()
    {
        var ready = new List<JsonElementRecord>();
        while (true)
        {
            Fill();
            var consumed = Scan(ready);
            foreach (var record in ready)
            {
                yield return record;
            }

            ready.Clear();
            LineAt(consumed);
            Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _filled - consumed);
            _filled -= consumed;
            _countedTo -= consumed;
            if (_final)
            {
                break;
            }
        }

        if (!_arraySeen)
        {
            throw new ReplayInputException("no requests array: expected a JSON array of requests or an object with a 'requests' array", 0);
        }
    }

    private void Fill()
    {
        if (_final)
        {
            return;
        }

        if (_filled == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = stream.Read(_buffer, _filled, _buffer.Length - _filled);
        if (read == 0)
        {
            _final = true;
        }

        _filled += read;
    }

    private int Scan(List<JsonElementRecord> ready)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(0, _filled), _final, _state);
        try
        {
            while (reader.Read())
            {
                Handle(ref reader, ready);
            }
        }
        catch (JsonException ex)
        {
            throw new ReplayInputException($"the JSON is broken: {ex.Message}", (ex.LineNumber ?? 0) + 1, ex);
        }

        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private void Handle(ref Utf8JsonReader reader, List<JsonElementRecord> ready)
    {
        var type = reader.TokenType;
        var depth = reader.CurrentDepth;
        if (_skipDepth >= 0)
        {
            if (type is JsonTokenType.EndObject or JsonTokenType.EndArray && depth == _skipDepth)
            {
                _skipDepth = -1;
            }

            return;
        }

        if (depth == 0 && type is JsonTokenType.StartArray or JsonTokenType.StartObject && !_arraySeen && !_rootIsObject)
        {
            if (type == JsonTokenType.StartArray)
            {
                _arraySeen = true;
                _arrayDepth = 0;
            }
            else
            {
                _rootIsObject = true;
            }

            return;
        }

        if (_arraySeen && !_arrayDone)
        {
            HandleInArray(ref reader, ready, type, depth);
            return;
        }

        if (_rootIsObject && depth == 1)
        {
            if (type == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                _nextValueIsArray = !_arraySeen && name is "requests" or "service_requests";
                return;
            }

            if (_nextValueIsArray)
            {
                _nextValueIsArray = false;
                if (type != JsonTokenType.StartArray)
                {
                    throw new ReplayInputException("'requests' is not an array", LineAt((int)reader.TokenStartIndex));
                }

                _arraySeen = true;
                _arrayDepth = 1;
                return;
            }

            if (type is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                _skipDepth = depth;
            }

            return;
        }

        if (depth == 0 && type is not (JsonTokenType.EndObject or JsonTokenType.EndArray) && !_rootIsObject && !_arraySeen)
        {
            throw new ReplayInputException("the document is not a JSON array or object", LineAt((int)reader.TokenStartIndex));
        }
    }

    private void HandleInArray(ref Utf8JsonReader reader, List<JsonElementRecord> ready, JsonTokenType type, int depth)
    {
        if (depth == _arrayDepth)
        {
            if (type == JsonTokenType.EndArray)
            {
                _arrayDone = true;
            }

            return;
        }

        if (depth == _arrayDepth + 1 && _pairs is null)
        {
            _row++;
            var line = LineAt((int)reader.TokenStartIndex);
            switch (type)
            {
                case JsonTokenType.StartObject:
                    _recordLine = line;
                    _pairs = [];
                    break;
                case JsonTokenType.StartArray:
                    ready.Add(new JsonElementRecord(_row, line, null, "[array]"));
                    _skipDepth = depth;
                    break;
                default:
                    ready.Add(new JsonElementRecord(_row, line, null, Text(ref reader) ?? "null"));
                    break;
            }

            return;
        }

        if (_pairs is null)
        {
            return;
        }

        if (depth == _arrayDepth + 1 && type == JsonTokenType.EndObject)
        {
            ready.Add(new JsonElementRecord(_row, _recordLine, _pairs, null));
            _pairs = null;
            return;
        }

        if (type == JsonTokenType.PropertyName)
        {
            _key = reader.GetString();
            return;
        }

        if (type is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            _pairs.Add(new JsonPair(_key ?? "", JsonTokenType.String, "[nested]"));
            _skipDepth = depth;
            return;
        }

        _pairs.Add(new JsonPair(_key ?? "", type, Text(ref reader)));
    }

    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => null,
    };

    /// <summary>The 1-based line at <paramref name="position"/> of the buffer (positions only move forward).</summary>
    private long LineAt(int position)
    {
        if (position > _countedTo)
        {
            _countedLine += _buffer.AsSpan(_countedTo, position - _countedTo).Count((byte)'\n');
            _countedTo = position;
        }

        return _countedLine;
    }
}
