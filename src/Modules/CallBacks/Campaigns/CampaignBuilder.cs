using System.Globalization;
using Helpline.CallBacks.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.CallBacks.Campaigns;

/// <summary>What one run of the campaign builder did.</summary>
/// <param name="Gathered">Call-backs put into today's campaigns (new ones and those carried over from earlier days).</param>
/// <param name="Batches">Transactions that gathered something.</param>
internal sealed record BuildResult(int Gathered, int Batches);

/// <summary>
/// Gathers call-backs into campaigns, one per IST day and district (or department): call-backs that may be called
/// now and are in no campaign yet, and those still pending in an earlier day's open campaign (not handed to anyone
/// now), which move to today's. Swept in batches from an indexed table, one transaction each, so a crash loses at most
/// the batch in flight and the next run picks it up. Closes campaigns with nothing left to call.
/// </summary>
internal sealed class CampaignBuilder(NpgsqlDataSource dataSource, IOptions<CallBackOptions> options)
{
    private const string GatherSql = """
        with batch as (
            select c.id, case when $1 = 'district' then c.district_id else c.department_id end as group_id
            from callbacks.call_back c
            where {0}
            order by c.callable_from, c.id
            limit $7
            for update skip locked
        ), campaigns as (
            insert into callbacks.campaign (id, day, group_kind, group_id, calling_from, calling_until, created_at)
            select distinct $2 || b.group_id, $3, $1, b.group_id, $4, $5, $6 from batch b
            on conflict (id) do update set state = 'open', closed_at = null where callbacks.campaign.state = 'closed'
        )
        update callbacks.call_back c set campaign_id = $2 || b.group_id
        from batch b
        where c.id = b.id
        """;

    // New call-backs that may be called now.
    private const string Fresh = "c.state = 'pending' and c.campaign_id is null and c.callable_from <= $6";

    // Still to call from an earlier day's campaign, and not in an agent's hands.
    private const string CarriedOver = """
        c.state = 'pending' and c.callable_from <= $6
        and not exists (select 1 from callbacks.lease l where l.call_back_id = c.id and l.lease_until > $6)
        and c.campaign_id in (select k.id from callbacks.campaign k where k.state = 'open' and k.day < $3)
        """;

    private const string CloseSql = """
        update callbacks.campaign k set state = 'closed', closed_at = $1
        where k.state = 'open'
          and not exists (select 1 from callbacks.call_back c where c.campaign_id = k.id and c.state = 'pending')
        """;

    /// <summary>The id of a campaign: day, grouping and the district or department, e.g. <c>2026-12-05/district/district:162</c>.</summary>
    public static string CampaignId(DateOnly day, CampaignGrouping by, string groupId) => Prefix(day, by) + groupId;

    /// <summary>Gathers everything callable at <paramref name="now"/> into the campaigns of its IST day.</summary>
    public async Task<BuildResult> GatherAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (carried, carriedBatches) = await SweepAsync(CarriedOver, carryOver: true, now, cancellationToken);
        var (fresh, freshBatches) = await SweepAsync(Fresh, carryOver: false, now, cancellationToken);
        return new BuildResult(carried + fresh, carriedBatches + freshBatches);
    }

    /// <summary>Closes every open campaign with no pending call-back; returns how many.</summary>
    public async Task<int> CloseFinishedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(CloseSql);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    // A carry-over takes call-backs nobody holds out of earlier days' campaigns: under their locks (see CampaignLocks).
    private async Task<(int Rows, int Batches)> SweepAsync(string filter, bool carryOver, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var day = CallingHours.DayOf(now);
        var sql = GatherSql.Replace("{0}", filter, StringComparison.Ordinal);
        var (total, batches) = (0, 0);
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            if (carryOver)
            {
                await CampaignLocks.BoundWaitsAsync(connection, tx, cancellationToken);
                await using var lockCampaigns = new NpgsqlCommand(CampaignLocks.OpenBefore, connection, tx);
                lockCampaigns.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
                await lockCampaigns.ExecuteScalarAsync(cancellationToken);
            }

            await using var cmd = new NpgsqlCommand(sql, connection, tx);
            var p = cmd.Parameters;
            p.Add(new NpgsqlParameter<string> { TypedValue = Kind(settings.CampaignBy) });
            p.Add(new NpgsqlParameter<string> { TypedValue = Prefix(day, settings.CampaignBy) });
            p.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            p.Add(new NpgsqlParameter<TimeOnly> { TypedValue = settings.From });
            p.Add(new NpgsqlParameter<TimeOnly> { TypedValue = settings.Until });
            p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
            p.Add(new NpgsqlParameter<int> { TypedValue = settings.BatchSize });
            var rows = await cmd.ExecuteNonQueryAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            total += rows;
            batches += rows > 0 ? 1 : 0;
            if (rows < settings.BatchSize)
            {
                return (total, batches);
            }
        }
    }

    private static string Kind(CampaignGrouping by) => by == CampaignGrouping.District ? "district" : "department";

    private static string Prefix(DateOnly day, CampaignGrouping by) =>
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + Kind(by) + "/";
}
