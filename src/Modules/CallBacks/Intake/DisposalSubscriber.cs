using Helpline.CallBacks.Domain;
using Helpline.CallBacks.Events;
using Helpline.Grievances;
using Helpline.Grievances.Events;
using Helpline.Jurisdictions;
using Helpline.Platform.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.CallBacks.Intake;

/// <summary>
/// Creates one call-back per disposal from grievance events, in the batch's transaction. The call-back's id is the
/// disposal event's id, so an event delivered again finds its row and creates nothing; a reopened and re-disposed
/// grievance has a new disposal event, hence a new call-back. A reopening cancels the call-backs still pending for the
/// disposals before it (the complainant is no longer asked about a disposal that no longer stands).
/// </summary>
internal sealed class DisposalSubscriber(
    IGrievanceService grievances,
    IJurisdictionDirectory places,
    IOptions<CallBackOptions> options,
    TimeProvider clock) : GrievanceEventSubscriber
{
    private const string InsertSql = """
        insert into callbacks.call_back (id, reference_number, disposal_sequence, disposal_type, disposed_at, disposed_by,
                                         officer_id, position_id, level, kind, department_id, category_id, jurisdiction_id,
                                         jurisdiction_path, district_id, registered_by, created_at, due_at, callable_from)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $5)
        on conflict (id) do nothing
        """;

    // Only call-backs in no campaign or in a campaign locked by this transaction (see CampaignLocks).
    private const string CancelSql = $"""
        update callbacks.call_back
        set state = 'cancelled', completed_at = $3
        where reference_number = $1 and disposal_sequence < $2 and state = 'pending' and (campaign_id is null or campaign_id = any($4))
        returning {CallBackKeys.Columns}
        """;

    private const string LeftSql = "select exists (select 1 from callbacks.call_back where reference_number = $1 and disposal_sequence < $2 and state = 'pending')";

    public override string Name => "callbacks.disposals";

    protected override async Task HandleAsync(IReadOnlyList<GrievanceEvent> batch, EventBatchContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // The campaigns of every call-back this batch may cancel, locked at once in their order before any is cancelled:
        // the queue may be holding some of them while it hands out their call-backs.
        var reopened = batch.Where(e => e.Type == TimelineEventType.Reopened).Select(e => e.ReferenceNumber).Distinct(StringComparer.Ordinal).ToArray();
        if (reopened.Length > 0)
        {
            await CampaignLocks.BoundWaitsAsync(context.Connection, context.Transaction, cancellationToken);
        }

        var locked = reopened.Length == 0 ? [] : await LockAsync(reopened, wait: true, context, cancellationToken);
        foreach (var e in batch)
        {
            if (e.Type == TimelineEventType.Reopened)
            {
                await CancelAsync(e, locked, context, cancellationToken);
            }
            else if (CallBackRules.Wanted(e.Type, e.Kind, settings))
            {
                await CreateAsync(e, settings, context, cancellationToken);
            }
        }
    }

    private async Task CreateAsync(GrievanceEvent e, CallBackOptions settings, EventBatchContext context, CancellationToken cancellationToken)
    {
        // The registration tells who took the call (never handed the same grievance to call back) and whether there is
        // anyone to call: an imported case has no complainant's mobile.
        var grievance = await grievances.GetAsync(e.ReferenceNumber, cancellationToken);
        if (grievance.Request.Channel == Channel.Import || string.IsNullOrEmpty(grievance.Request.Complainant.Mobile))
        {
            return;
        }

        var jurisdictionId = e.JurisdictionId ?? grievance.Request.JurisdictionId;
        var path = places.PathToRoot(jurisdictionId);
        await using var cmd = new NpgsqlCommand(InsertSql, context.Connection, context.Transaction);
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter<Guid> { TypedValue = e.EventId });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.ReferenceNumber });
        p.Add(new NpgsqlParameter<int> { TypedValue = e.Sequence });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.Type.ToString() });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = e.At.ToUniversalTime() });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.Actor });
        p.Add(Nullable(e.OfficerId));
        p.Add(Nullable(e.PositionId));
        p.Add(new NpgsqlParameter { Value = (object?)e.Level ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.Kind.ToString() });
        p.Add(new NpgsqlParameter<string> { TypedValue = e.DepartmentId ?? grievance.DepartmentId });
        p.Add(Nullable(e.CategoryId));
        p.Add(new NpgsqlParameter<string> { TypedValue = jurisdictionId });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = path.Count == 0 ? [jurisdictionId] : [.. path.Select(j => j.Id)] });
        p.Add(new NpgsqlParameter<string> { TypedValue = DistrictOf(path, jurisdictionId) });
        p.Add(new NpgsqlParameter<string> { TypedValue = grievance.Request.AgentId });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = e.At.ToUniversalTime() + settings.Window });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CancelAsync(GrievanceEvent e, HashSet<string> locked, EventBatchContext context, CancellationToken cancellationToken)
    {
        var cancelled = new List<CallBackEvent>();
        for (var pass = 1; ; pass++)
        {
            await using (var cmd = new NpgsqlCommand(CancelSql, context.Connection, context.Transaction))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.ReferenceNumber });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.Sequence });
                cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = e.At.ToUniversalTime() });
                cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. locked] });
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    cancelled.Add(CallBackEvent.Cancelled(CallBackKeys.Read(reader), e.At, $"Grievance reopened by {e.Actor} before the call-back was made."));
                }
            }

            if (!await LeftAsync(e, context, cancellationToken))
            {
                break;
            }

            // A call-back gathered into another campaign since the batch's locks were taken: lock that campaign too,
            // but only if nobody holds it. Waiting for it out of order could deadlock with a queue batch; instead the
            // batch is retried, and its first pass then takes every lock in order.
            var more = await LockAsync([e.ReferenceNumber], wait: false, context, cancellationToken);
            if (more.Count == 0 || pass == 5)
            {
                throw new InvalidOperationException($"The call-backs of {e.ReferenceNumber} moved to a campaign in use while being cancelled; the batch is tried again.");
            }

            locked.UnionWith(more);
        }

        foreach (var c in cancelled)
        {
            await CallBackEvents.AppendAsync(c, context.Connection, context.Transaction, cancellationToken);
        }
    }

    // A call-back gathered into a campaign after the batch's locks were taken is left by CancelSql: lock its campaign too.
    private static async Task<bool> LeftAsync(GrievanceEvent e, EventBatchContext context, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(LeftSql, context.Connection, context.Transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.ReferenceNumber });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.Sequence });
        return await cmd.ExecuteScalarAsync(cancellationToken) is true;
    }

    // The campaigns locked; without waiting, an empty set when any could not be (those locked stay locked, harmlessly).
    private static async Task<HashSet<string>> LockAsync(string[] references, bool wait, EventBatchContext context, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(CampaignLocks.OfGrievances, context.Connection, context.Transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = references });
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = wait });
        var campaigns = new HashSet<string>(StringComparer.Ordinal);
        var all = true;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            all &= reader.GetBoolean(1);
            campaigns.Add(reader.GetString(0));
        }

        return all ? campaigns : [];
    }

    /// <summary>The district a place lies in; an imported city (or a place above districts) stands for itself.</summary>
    internal static string DistrictOf(IReadOnlyList<Jurisdiction> path, string jurisdictionId) =>
        path.FirstOrDefault(j => j.Kind is JurisdictionKind.District or JurisdictionKind.City)?.Id ?? jurisdictionId;

    private static NpgsqlParameter Nullable(string? value) =>
        new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };
}
