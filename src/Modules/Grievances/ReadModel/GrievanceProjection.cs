using Helpline.Jurisdictions;
using Helpline.Platform.Orleans;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Grievances.ReadModel;

/// <summary>Writes a grievance's read-model row and timeline.</summary>
internal interface IGrievanceProjection
{
    /// <summary>
    /// Upserts the row at <paramref name="version"/> (older versions never overwrite newer ones), adds missing
    /// timeline events, and acknowledges the grain's projection-outbox entry, all in one transaction.
    /// </summary>
    Task WriteAsync(string grainKey, Grievance grievance, int version, CancellationToken cancellationToken);
}

internal sealed class GrievanceProjection(NpgsqlDataSource dataSource, IJurisdictionDirectory jurisdictions) : IGrievanceProjection
{
    internal const string StateName = "grievance";

    private const string UpsertSql = """
        insert into grievances.grievance as g (
            reference_number, grain_key, kind, status, channel, complainant_name, complainant_mobile,
            jurisdiction_id, jurisdiction_path, category_id, department_id, description, position_id, officer_id,
            level, registered_at, due_at, breached, breached_at_top, closed_at, disposal, registered_by, version, projected_at)
        values (@ref, @key, @kind, @status, @channel, @name, @mobile, @jid, @jpath, @cat, @dept, @descr, @pos, @officer,
            @level, @registered, @due, @breached, @top, @closed, @disposal, @agent, @version, now())
        on conflict (reference_number) do update set
            status = excluded.status, category_id = excluded.category_id, department_id = excluded.department_id,
            position_id = excluded.position_id, officer_id = excluded.officer_id, level = excluded.level,
            due_at = excluded.due_at, breached = excluded.breached, breached_at_top = excluded.breached_at_top,
            closed_at = excluded.closed_at, disposal = excluded.disposal, version = excluded.version, projected_at = now()
        where g.version < excluded.version
        """;

    private const string TimelineSql = """
        insert into grievances.timeline_event (reference_number, seq, type, at, actor, note, officer_id, level, due_at)
        select @ref, * from unnest(@seq, @type, @at, @actor, @note, @officer, @level, @due)
        on conflict (reference_number, seq) do nothing
        """;

    public async Task WriteAsync(string grainKey, Grievance g, int version, CancellationToken cancellationToken)
    {
        var r = g.Request;
        var path = jurisdictions.PathToRoot(r.JurisdictionId).Select(j => j.Id).ToArray();
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var batch = new NpgsqlBatch(conn, tx);
        await using (batch)
        {
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            var p = upsert.Parameters;
            p.AddWithValue("ref", g.ReferenceNumber);
            p.AddWithValue("key", grainKey);
            p.AddWithValue("kind", r.Kind.ToString());
            p.AddWithValue("status", g.Status.ToString());
            p.AddWithValue("channel", r.Channel.ToString());
            p.AddWithValue("name", r.Complainant.Name);
            p.AddWithValue("mobile", r.Complainant.Mobile);
            p.AddWithValue("jid", r.JurisdictionId);
            p.AddWithValue("jpath", path.Length > 0 ? path : [r.JurisdictionId]);
            p.AddWithValue("cat", r.CategoryId);
            p.AddWithValue("dept", g.DepartmentId);
            p.AddWithValue("descr", r.Description);
            p.AddWithValue("pos", g.PositionId);
            p.AddWithValue("officer", g.OfficerId);
            p.AddWithValue("level", g.Level);
            p.AddWithValue("registered", g.RegisteredAt);
            p.Add(new NpgsqlParameter("due", NpgsqlDbType.TimestampTz) { Value = (object?)g.DueAt ?? DBNull.Value });
            p.AddWithValue("breached", g.Breached);
            p.AddWithValue("top", g.BreachedAtTop);
            p.Add(new NpgsqlParameter("closed", NpgsqlDbType.TimestampTz) { Value = (object?)g.ClosedAt ?? DBNull.Value });
            p.Add(new NpgsqlParameter("disposal", NpgsqlDbType.Text) { Value = (object?)g.Disposal ?? DBNull.Value });
            p.AddWithValue("agent", r.AgentId);
            p.AddWithValue("version", version);
            batch.BatchCommands.Add(upsert);

            var t = g.Timeline;
            var timeline = new NpgsqlBatchCommand(TimelineSql);
            var q = timeline.Parameters;
            q.AddWithValue("ref", g.ReferenceNumber);
            q.AddWithValue("seq", t.Select(e => e.Sequence).ToArray());
            q.AddWithValue("type", t.Select(e => e.Type.ToString()).ToArray());
            q.AddWithValue("at", t.Select(e => e.At).ToArray());
            q.AddWithValue("actor", t.Select(e => e.Actor).ToArray());
            q.Add(new NpgsqlParameter("note", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = t.Select(e => e.Note).ToArray() });
            q.Add(new NpgsqlParameter("officer", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = t.Select(e => e.OfficerId).ToArray() });
            q.Add(new NpgsqlParameter("level", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = t.Select(e => e.Level).ToArray() });
            q.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = t.Select(e => e.DueAt).ToArray() });
            batch.BatchCommands.Add(timeline);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await ProjectionOutbox.AcknowledgeAsync(conn, tx, StateName, grainKey, version, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}
