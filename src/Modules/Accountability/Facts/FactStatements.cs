using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Facts;

/// <summary>The statements events turn into (besides the holdings), each about one grievance's rows only.</summary>
internal enum FactStatement
{
    Fact,
    Hold,
    Disposed,
    AtTop,
    Clear,
    Reopened,
    ReturnRequested,
    Returned,
    CameBack,
}

/// <summary>
/// A batch's fact statements, written in as few statements as the events allow. Each statement reads and writes only
/// its own grievance's rows, so statements about different grievances can run in any order; those about one grievance
/// run in the order its events asked for them (a breach reads the hold an earlier event set, a reopening the disposal
/// before it). They are written in waves: a wave takes the next statement of every grievance that has one, and its
/// statements of one set-based kind (a fact, a hold, a disposal) go as one statement over arrays. A batch of many
/// grievances each disposed of takes two statements instead of two a grievance.
/// </summary>
internal sealed class FactStatements
{
    private readonly Dictionary<string, List<(FactStatement Kind, object?[] Values)>> _byGrievance = new(StringComparer.Ordinal);

    public void Add(FactStatement kind, string reference, params object?[] values)
    {
        var columns = Shape(kind).Types.Length;
        if (values.Length != columns)
        {
            throw new ArgumentException($"{kind} takes {columns} values, not {values.Length}.", nameof(values));
        }

        if (!_byGrievance.TryGetValue(reference, out var list))
        {
            _byGrievance[reference] = list = [];
        }

        list.Add((kind, values));
    }

    /// <summary>Appends the statements to <paramref name="batch"/>, wave by wave.</summary>
    public void Write(NpgsqlBatch batch)
    {
        var lists = _byGrievance.Values.ToArray();
        for (var wave = 0; ; wave++)
        {
            var heads = lists.Where(l => l.Count > wave).Select(l => l[wave]).ToArray();
            if (heads.Length == 0)
            {
                return;
            }

            foreach (var kind in heads.Select(h => h.Kind).Distinct())
            {
                var (sql, setBased, types) = Shape(kind);
                var rows = heads.Where(h => h.Kind == kind).Select(h => h.Values).ToArray();
                if (setBased)
                {
                    var command = new NpgsqlBatchCommand(sql);
                    for (var i = 0; i < types.Length; i++)
                    {
                        command.Parameters.Add(new NpgsqlParameter { Value = Column(rows.Select(r => r[i]), types[i]), NpgsqlDbType = NpgsqlDbType.Array | types[i] });
                    }

                    batch.BatchCommands.Add(command);
                    continue;
                }

                foreach (var row in rows)
                {
                    var command = new NpgsqlBatchCommand(sql);
                    for (var i = 0; i < types.Length; i++)
                    {
                        command.Parameters.Add(new NpgsqlParameter { Value = row[i] ?? DBNull.Value, NpgsqlDbType = types[i] });
                    }

                    batch.BatchCommands.Add(command);
                }
            }
        }
    }

    private static (string Sql, bool SetBased, NpgsqlDbType[] Types) Shape(FactStatement kind) => kind switch
    {
        FactStatement.Fact => (FactSql.Insert, true, FactTypes),
        FactStatement.Hold => (FactSql.Hold, true, [NpgsqlDbType.Text, NpgsqlDbType.Boolean]),
        FactStatement.Disposed => (FactSql.Disposed, true, [NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text]),
        FactStatement.AtTop => (FactSql.AtTop, false, [NpgsqlDbType.Text]),
        FactStatement.Clear => (FactSql.Clear, false, [NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text, NpgsqlDbType.Boolean]),
        FactStatement.Reopened => (FactSql.Reopened, false,
            [NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text]),
        FactStatement.ReturnRequested => (FactSql.ReturnRequested, false, [NpgsqlDbType.Text, NpgsqlDbType.Text]),
        FactStatement.Returned => (FactSql.Returned, false, [NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz]),
        FactStatement.CameBack => (FactSql.CameBack, false, CameBackTypes),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static readonly NpgsqlDbType[] FactTypes =
    [
        NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text, NpgsqlDbType.Text,
        NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
        NpgsqlDbType.Text, NpgsqlDbType.Boolean, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text,
    ];

    private static readonly NpgsqlDbType[] CameBackTypes =
    [
        NpgsqlDbType.Uuid, NpgsqlDbType.Text, NpgsqlDbType.Integer, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.Text,
        NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Text,
    ];

    // Typed arrays, so that a column of nulls still says what it is.
    private static Array Column(IEnumerable<object?> values, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Text => values.Select(v => (string?)v).ToArray(),
        NpgsqlDbType.Integer => values.Select(v => (int?)v).ToArray(),
        NpgsqlDbType.Boolean => values.Select(v => (bool?)v).ToArray(),
        NpgsqlDbType.TimestampTz => values.Select(v => (DateTimeOffset?)v).ToArray(),
        NpgsqlDbType.Uuid => values.Select(v => (Guid?)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
