using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Facts;

/// <summary>
/// The holdings a batch of events ends and starts, written by two statements at the head of the batch instead of two
/// for each event. They give what ending and starting each event's holding in turn would: a holding stored before the
/// batch ends at the first of the batch's events, for its grievance, that comes after it; a holding the batch starts
/// is stored already ended by the first such event after it in the batch, or open. Nothing else in the batch reads
/// holdings, so writing them first changes nothing the other facts see.
/// </summary>
internal sealed class HoldingChanges
{
    private readonly List<(string Reference, int Sequence, DateTimeOffset At)> _ends = [];
    private readonly List<HoldingStart> _starts = [];

    // The batch's holdings still open, by grievance (indexes into _starts).
    private readonly Dictionary<string, List<int>> _open = new(StringComparer.Ordinal);

    // On hold or not, as an earlier event of this batch left the grievance; absent: as the table says before the batch.
    private readonly Dictionary<string, bool> _onHold = new(StringComparer.Ordinal);

    public bool IsEmpty => _ends.Count == 0;

    /// <summary>Whether the grievance is on hold as this batch's statements so far left it; null when none changed it.</summary>
    public bool? OnHold(string reference) => _onHold.TryGetValue(reference, out var onHold) ? onHold : null;

    /// <summary>An earlier statement of the batch set whether the grievance is on hold.</summary>
    public void OnHoldSet(string reference, bool onHold) => _onHold[reference] = onHold;

    /// <summary>The event ends the holding before it (an event delivered again ends nothing of its own).</summary>
    public void End(string reference, int sequence, DateTimeOffset at)
    {
        _ends.Add((reference, sequence, at));
        if (!_open.TryGetValue(reference, out var open))
        {
            return;
        }

        foreach (var i in open.Where(i => _starts[i].Sequence < sequence))
        {
            _starts[i] = _starts[i] with { ToAt = at };
        }

        open.RemoveAll(i => _starts[i].ToAt is not null);
    }

    /// <summary>
    /// The event starts a holding. <paramref name="onHold"/> null: as an earlier event of the batch left the
    /// grievance, else as the table says, else not on hold.
    /// </summary>
    public void Start(HoldingStart start, bool? onHold)
    {
        var known = onHold ?? (_onHold.TryGetValue(start.Reference, out var set) ? set : null);
        _starts.Add(start with { OnHold = known });
        if (!_open.TryGetValue(start.Reference, out var open))
        {
            _open[start.Reference] = open = [];
        }

        open.Add(_starts.Count - 1);
    }

    /// <summary>Puts the two statements at the head of <paramref name="batch"/>.</summary>
    public void WriteFirst(NpgsqlBatch batch)
    {
        if (IsEmpty)
        {
            return;
        }

        var end = new NpgsqlBatchCommand(FactSql.EndHoldings);
        end.Parameters.Add(Array(_ends.Select(e => e.Reference), NpgsqlDbType.Text));
        end.Parameters.Add(Array(_ends.Select(e => e.Sequence), NpgsqlDbType.Integer));
        end.Parameters.Add(Array(_ends.Select(e => e.At), NpgsqlDbType.TimestampTz));
        batch.BatchCommands.Insert(0, end);
        if (_starts.Count == 0)
        {
            return;
        }

        var start = new NpgsqlBatchCommand(FactSql.StartHoldings);
        start.Parameters.Add(Array(_starts.Select(s => s.Reference), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.Sequence), NpgsqlDbType.Integer));
        start.Parameters.Add(Array(_starts.Select(s => s.From), NpgsqlDbType.TimestampTz));
        start.Parameters.Add(Array(_starts.Select(s => s.OfficerId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.PositionId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.Level), NpgsqlDbType.Integer));
        start.Parameters.Add(Array(_starts.Select(s => s.DepartmentId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.JurisdictionId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.Units.DistrictId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.Units.TehsilId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.Units.BlockId), NpgsqlDbType.Text));
        start.Parameters.Add(Array(_starts.Select(s => s.DueAt), NpgsqlDbType.TimestampTz));
        start.Parameters.Add(Array(_starts.Select(s => s.OnHold), NpgsqlDbType.Boolean));
        start.Parameters.Add(Array(_starts.Select(s => s.ToAt), NpgsqlDbType.TimestampTz));
        batch.BatchCommands.Insert(1, start);
    }

    private static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType type) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
}

/// <summary>A holding an event starts (times in UTC); <see cref="ToAt"/> set when a later event of the batch ends it.</summary>
internal sealed record HoldingStart(
    string Reference,
    int Sequence,
    DateTimeOffset From,
    string OfficerId,
    string? PositionId,
    int? Level,
    string DepartmentId,
    string JurisdictionId,
    Units Units,
    DateTimeOffset? DueAt,
    bool? OnHold = null,
    DateTimeOffset? ToAt = null);
