using Helpline.CallBacks.Domain;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.CallBacks.Campaigns;

/// <summary>A campaign with its counts.</summary>
internal sealed record CampaignSummary(
    string Id, DateOnly Day, string GroupKind, string GroupId, bool Open, TimeOnly CallingFrom, TimeOnly CallingUntil,
    DateTimeOffset CreatedAt, DateTimeOffset? ClosedAt, long Total, long Pending, long HeldNow, long Done);

/// <summary>One attempt as recorded.</summary>
internal sealed record AttemptRow(int Number, string AgentId, DateTimeOffset At, CallBackOutcome Outcome, int? Rating, string? Reason, string? Note);

/// <summary>Reads campaigns and call-backs, and changes a campaign's calling hours.</summary>
internal sealed class CallBackReads(NpgsqlDataSource dataSource)
{
    private const string CampaignsSql = """
        select k.id, k.day, k.group_kind, k.group_id, k.state, k.calling_from, k.calling_until, k.created_at, k.closed_at,
               count(c.id), count(c.id) filter (where c.state = 'pending'),
               count(c.id) filter (where c.state = 'pending' and l.lease_until > $3),
               count(c.id) filter (where c.state in ('satisfied', 'dissatisfied', 'not_reachable'))
        from callbacks.campaign k left join callbacks.call_back c on c.campaign_id = k.id
             left join callbacks.lease l on l.call_back_id = c.id
        where ($1::date is null or k.day = $1) and ($2::text is null or k.state = $2) and ($4::text is null or k.id = $4)
        group by k.id
        order by k.day desc, k.id
        limit 1000
        """;

    private const string AttemptsSql = "select number, agent_id, at, outcome, rating, reason, note from callbacks.attempt where call_back_id = $1 order by number";

    private const string HoursSql = "update callbacks.campaign set calling_from = $2, calling_until = $3 where id = $1";

    /// <summary>Campaigns of a day (or every day), open or closed (or both), newest day first; at most 1000.</summary>
    public async Task<IReadOnlyList<CampaignSummary>> CampaignsAsync(DateOnly? day, bool? open, string? id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(CampaignsSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = day is { } d ? d : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = open is { } o ? (o ? "open" : "closed") : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<CampaignSummary>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new CampaignSummary(
                r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetString(2), r.GetString(3), r.GetString(4) == "open",
                r.GetFieldValue<TimeOnly>(5), r.GetFieldValue<TimeOnly>(6), r.GetFieldValue<DateTimeOffset>(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12)));
        }

        return list;
    }

    /// <summary>The call-back, or null.</summary>
    public async Task<CallBackRow?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(CallBackRow.ByIdSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? CallBackRow.Read(r) : null;
    }

    /// <summary>The call-back's attempts, first first.</summary>
    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(AttemptsSql);
        cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        var list = new List<AttemptRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(new AttemptRow(
                r.GetInt32(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), StateNames.ParseOutcome(r.GetString(3)),
                r.IsDBNull(4) ? null : r.GetInt16(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return list;
    }

    /// <summary>Sets a campaign's calling hours (IST), from before until.</summary>
    /// <exception cref="HelplineException">UNKNOWN_CAMPAIGN, INVALID_VALUE (until not after from).</exception>
    public async Task SetCallingHoursAsync(string campaignId, TimeOnly from, TimeOnly until, CancellationToken cancellationToken)
    {
        if (until <= from)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"until ({until:HH\\:mm}) must be after from ({from:HH\\:mm}): calling hours lie within one day.", "until");
        }

        await using var cmd = dataSource.CreateCommand(HoursSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = campaignId });
        cmd.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = from });
        cmd.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = until });
        if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new HelplineException(CallBackErrorCodes.UnknownCampaign, $"No campaign has id '{campaignId}'.", "campaignId");
        }
    }
}
