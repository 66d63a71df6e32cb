using Helpline.Catalogue;
using Helpline.Grievances.Domain;
using Helpline.Grievances.Import;
using Helpline.Grievances.ReadModel;
using Helpline.Jurisdictions;
using Helpline.Officers;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Logging;

namespace Helpline.Grievances;

internal sealed partial class GrievanceService(
    IGrainFactory grains,
    GrievanceQueries queries,
    IJurisdictionDirectory jurisdictions,
    ICatalogue catalogue,
    ImportWorld world,
    IOfficerDirectory officers,
    ISharedData sharedData,
    TimeProvider clock,
    ILogger<GrievanceService> logger) : IGrievanceService
{
    public async Task<Grievance> RegisterAsync(RegisterGrievance request, CancellationToken cancellationToken)
    {
        var normalized = GrievanceRules.Normalize(request);
        await KnownAsync(() => jurisdictions.Find(normalized.JurisdictionId) is not null && catalogue.FindCategory(normalized.CategoryId) is not null, cancellationToken);
        if (jurisdictions.Find(normalized.JurisdictionId) is null)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{normalized.JurisdictionId}'.", "input.jurisdictionId");
        }

        if (catalogue.FindCategory(normalized.CategoryId) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{normalized.CategoryId}'.", "input.categoryId");
        }

        var grain = grains.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest(normalized.ClientRequestId));

        // A retry of a registration stored before the category was retired answers what was stored, like any retry:
        // the check is for new grievances only. (The monthly limit of complaints is the grain's, checked as it stores.)
        if (catalogue.IsRetired(normalized.CategoryId) && await grain.Get() is null)
        {
            RefuseRetired(normalized.CategoryId, "input.categoryId");
        }

        return await grain.Register(normalized);
    }

    // New grievances may not choose a retired category; those already under it keep it (their grains never ask).
    private void RefuseRetired(string categoryId, string field)
    {
        if (catalogue.IsRetired(categoryId))
        {
            throw new HelplineException(CatalogueErrorCodes.CategoryRetired, $"Category '{categoryId}' is retired; choose another.", field);
        }
    }

    public async Task<Grievance> GetAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        var grain = await FindAsync(referenceNumber, cancellationToken);
        var grievance = await grain.Get() ?? throw Unknown(referenceNumber);
        await KnownAsync(() => Knows(grievance), cancellationToken);
        return grievance;
    }

    public async Task<Grievance> ResolveAsync(string referenceNumber, string officerId, string actionTakenReport, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var report = GrievanceRules.RequireText(actionTakenReport, GrievanceRules.MaxTextLength, "actionTakenReport");
        return await (await FindAsync(referenceNumber, cancellationToken)).Resolve(officer, report);
    }

    public async Task<Grievance> RejectAsync(string referenceNumber, string officerId, string reason, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Reject(officer, text);
    }

    public async Task<Grievance> DisposeOnCallAsync(string referenceNumber, string agentId, string answer, CancellationToken cancellationToken)
    {
        var agent = GrievanceRules.RequireId(agentId, "agentId");
        var text = GrievanceRules.RequireText(answer, GrievanceRules.MaxTextLength, "answer");
        return await (await FindAsync(referenceNumber, cancellationToken)).DisposeOnCall(agent, text);
    }

    public async Task<IReadOnlyList<ImportRecordResult>> ImportAsync(IReadOnlyList<ImportRecord> records, string importerId, CancellationToken cancellationToken)
    {
        if (records.Count is < 1 or > MaxImportBatch)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Send 1 to {MaxImportBatch} records per call; this call had {records.Count}.", "records");
        }

        var results = new ImportRecordResult?[records.Count];
        var valid = new List<(int Index, ImportRecord Record, ImportTimes Times)>(records.Count);
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < records.Count; i++)
        {
            try
            {
                var (r, times) = NormalizeImport(records[i], i);
                if (!seen.Add((r.Source, r.SourceId)))
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"Source id '{r.SourceId}' appears twice in this call.", $"records[{i}].sourceId");
                }

                valid.Add((i, r, times));
            }
            catch (HelplineException ex)
            {
                results[i] = Rejected(records[i].SourceId, ex);
            }
        }

        if (valid.Count > 0)
        {
            var importer = GrievanceRules.RequireId(importerId, "importer");
            IReadOnlyList<ImportWorld.Placement> placements;
            try
            {
                placements = await world.EnsureAsync(valid.Select(v => v.Record).ToList(), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not HelplineException)
            {
                // Nothing of these records was stored yet: each is answered on its own, interrupted if it may pass.
                LogImportFailed(ex, "(the source's world)");
                foreach (var (index, r, _) in valid)
                {
                    results[index] = MayPass(ex) ? Interrupted(r.SourceId) : Failed(r.SourceId);
                }

                return results!;
            }

            await Parallel.ForEachAsync(
                Enumerable.Range(0, valid.Count),
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
                async (k, _) =>
                {
                    var (index, r, t) = valid[k];
                    var import = new ImportGrievance(
                        r.Source, r.SourceId, r.Kind, placements[k].JurisdictionId, placements[k].CategoryId, r.Description,
                        t.RegisteredAt, t.DueAt, t.ClosedAt, r.Closure, importer, t.Note);
                    try
                    {
                        var done = await grains.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest(import.ClientRequestId)).Import(import);
                        results[index] = new ImportRecordResult(
                            r.SourceId, done.Created ? ImportOutcome.Imported : ImportOutcome.AlreadyPresent, done.Grievance, null, null, null);
                    }
                    catch (HelplineException ex)
                    {
                        // The grain names fields of one record (sourceId, category): say which record. A record the read
                        // model refused comes back as IMPORT_FAILED: nothing of it was stored.
                        results[index] = Rejected(r.SourceId, ex.Field is { } f && !f.StartsWith("records[", StringComparison.Ordinal)
                            ? new HelplineException(ex.Code, ex.Message, $"records[{index}].{f}")
                            : ex);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One record's fault is that record's answer; the batch's other records keep theirs. Whether
                        // its state was stored is unknown here (a lost answer, an unreachable database): sending it again
                        // is safe, as a source id is imported once, and the repair job finishes what was stored.
                        LogImportFailed(ex, r.SourceId);
                        results[index] = Interrupted(r.SourceId);
                    }
                });
        }

        return results!;
    }

    public async Task<Grievance> PauseAsync(string referenceNumber, string officerId, string reason, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Pause(officer, text);
    }

    public async Task<Grievance> ResumeAsync(string referenceNumber, string officerId, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        return await (await FindAsync(referenceNumber, cancellationToken)).Resume(officer);
    }

    public async Task<Grievance> RecordInterimReplyAsync(string referenceNumber, string officerId, string reply, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var text = GrievanceRules.RequireText(reply, GrievanceRules.MaxTextLength, "reply");
        return await (await FindAsync(referenceNumber, cancellationToken)).RecordInterimReply(officer, text);
    }

    public async Task<Grievance> RecategoriseAsync(string referenceNumber, string actorId, string categoryId, string reason, CancellationToken cancellationToken)
    {
        var actor = GrievanceRules.RequireId(actorId, "actorId");
        var category = GrievanceRules.RequireId(categoryId, "categoryId");
        if (!await KnownAsync(() => catalogue.FindCategory(category) is not null, cancellationToken))
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{category}'.", "categoryId");
        }

        RefuseRetired(category, "categoryId");

        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Recategorise(actor, category, text);
    }

    public async Task<Grievance> ForwardAsync(string referenceNumber, string officerId, string positionId, string reason, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var seat = GrievanceRules.RequireText(positionId, 200, "positionId");
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Forward(officer, seat, text);
    }

    public async Task<Grievance> RequestReturnAsync(string referenceNumber, string officerId, ReturnKind kind, string reason, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        if (!Enum.IsDefined(kind))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{kind}' is not a kind of return.", "kind");
        }

        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).RequestReturn(officer, kind, text);
    }

    public async Task<Grievance> DecideReturnAsync(string referenceNumber, string officerId, bool approve, string reason, string? positionId, string? categoryId, CancellationToken cancellationToken)
    {
        var officer = await RequireOfficerAsync(officerId, cancellationToken);
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        var seat = positionId is null ? null : GrievanceRules.RequireText(positionId, 200, "positionId");
        var category = categoryId is null ? null : GrievanceRules.RequireId(categoryId, "categoryId");
        if (category is not null)
        {
            // As for recategoriseGrievance: a category routed today, not a retired one.
            if (!await KnownAsync(() => catalogue.FindCategory(category) is not null, cancellationToken))
            {
                throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{category}'.", "categoryId");
            }

            RefuseRetired(category, "categoryId");
        }

        return await (await FindAsync(referenceNumber, cancellationToken)).DecideReturn(officer, approve, text, seat, category);
    }

    public async Task<Grievance> ReopenAsync(string referenceNumber, string actorId, string reason, CancellationToken cancellationToken)
    {
        var actor = GrievanceRules.RequireId(actorId, "actorId");
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Reopen(actor, text);
    }

    public async Task<Grievance> ApplyCallBackAsync(string referenceNumber, CallBackVerdict verdict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return await (await FindAsync(referenceNumber, cancellationToken)).ApplyCallBack(verdict);
    }

    public async Task<Helpline.Sla.SlaExplanation?> ExplainDueDateAsync(string referenceNumber, CancellationToken cancellationToken) =>
        await (await FindAsync(referenceNumber, cancellationToken)).ExplainDueDate();

    public async Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken, CallerScope? scope = null, GrievanceOrder? order = null)
    {
        if (filter.Level is { } level and (< 1 or > 4))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"A level is 1..4; it was {level}.", "filter.level");
        }

        foreach (var (name, range) in new[] { ("registered", filter.Registered), ("due", filter.Due), ("disposed", filter.Disposed), ("closed", filter.Closed) })
        {
            if (range is { From: { } from, Before: { } before } && from >= before)
            {
                throw new HelplineException(ErrorCodes.Invalid, $"'from' ({from:O}) must be before 'before' ({before:O}): the range would be empty.", $"filter.{name}");
            }
        }

        await KnownAsync(
            () => (filter.JurisdictionId is not { } fj || jurisdictions.Find(fj) is not null)
                && (filter.DepartmentId is not { } fd || catalogue.FindDepartment(fd) is not null)
                && (filter.CategoryId is not { } fc || catalogue.FindCategory(fc) is not null)
                && (filter.OfficerId is not { } fo || officers.FindOfficer(fo) is not null),
            cancellationToken);

        // A mistyped id would otherwise show an empty dashboard as if all were well.
        if (filter.JurisdictionId is { } j && jurisdictions.Find(j) is null)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{j}'.", "filter.jurisdictionId");
        }

        if (filter.DepartmentId is { } d && catalogue.FindDepartment(d) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has id '{d}'.", "filter.departmentId");
        }

        if (filter.CategoryId is { } c && catalogue.FindCategory(c) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has id '{c}'.", "filter.categoryId");
        }

        if (filter.OfficerId is { } o && officers.FindOfficer(o) is null)
        {
            throw new HelplineException(OfficerErrorCodes.UnknownOfficer, $"No officer has id '{o}'.", "filter.officerId");
        }

        var page = await queries.ListAsync(filter, first, after, cancellationToken, scope, order);
        await KnownAsync(() => page.Items.All(i => Knows(i.Item)), cancellationToken);
        return page;
    }

    public async Task<GrievanceDashboard> DashboardAsync(string? jurisdictionId, string? departmentId, CancellationToken cancellationToken, CallerScope? scope = null)
    {
        await KnownAsync(
            () => (jurisdictionId is null || jurisdictions.Find(jurisdictionId) is not null) && (departmentId is null || catalogue.FindDepartment(departmentId) is not null),
            cancellationToken);
        if (jurisdictionId is not null && jurisdictions.Find(jurisdictionId) is null)
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{jurisdictionId}'.", "jurisdictionId");
        }

        if (departmentId is not null && catalogue.FindDepartment(departmentId) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has id '{departmentId}'.", "departmentId");
        }

        return await queries.DashboardAsync(jurisdictionId, departmentId, cancellationToken, scope);
    }

    private async Task<string> RequireOfficerAsync(string officerId, CancellationToken cancellationToken)
    {
        var id = GrievanceRules.RequireId(officerId, "officerId");
        return !await KnownAsync(() => officers.FindOfficer(id) is not null, cancellationToken)
            ? throw new HelplineException(OfficerErrorCodes.UnknownOfficer, $"No officer has id '{id}'.", "officerId")
            : id;
    }

    // An id this silo does not know may have been added on another silo moments ago: catch up once before refusing
    // it, or before answering with a grievance whose officer, seat or category this silo could not describe.
    private async Task<bool> KnownAsync(Func<bool> known, CancellationToken cancellationToken)
    {
        if (known())
        {
            return true;
        }

        await sharedData.CatchUpAsync(cancellationToken);
        return known();
    }

    private bool Knows(Grievance g) => g.IsDescribedBy(jurisdictions, catalogue, officers);

    private bool Knows(GrievanceSummary g) =>
        jurisdictions.Find(g.JurisdictionId) is not null
        && catalogue.FindCategory(g.CategoryId) is not null
        && catalogue.FindDepartment(g.DepartmentId) is not null
        && officers.FindPosition(g.PositionId) is not null
        && officers.FindOfficer(g.OfficerId) is not null;

    /// <summary>Largest import batch accepted in one call.</summary>
    internal const int MaxImportBatch = 200;

    private static ImportRecordResult Rejected(string? sourceId, HelplineException ex) =>
        new(sourceId ?? "", ImportOutcome.Rejected, null, ex.Code, ex.Field, ex.Message);

    private static ImportRecordResult Failed(string sourceId) => new(
        sourceId,
        ImportOutcome.Rejected,
        null,
        GrievanceErrorCodes.ImportFailed,
        null,
        "The record could not be stored because of a fault in the service (logged); nothing of it was kept.");

    private static ImportRecordResult Interrupted(string sourceId) => new(
        sourceId,
        ImportOutcome.Rejected,
        null,
        GrievanceErrorCodes.ImportInterrupted,
        null,
        "Storing the record was interrupted (logged); it may or may not be stored. Send it again: a record is imported once, and whatever part of it was stored is completed by the read-model repair.");

    // Within this process the cause is still the database's own exception.
    private static bool MayPass(Exception ex) => ReadModel.ProjectionRefusedException.MayPass(ex) || ex is OrleansException;

    [LoggerMessage(Level = LogLevel.Error, Message = "Import of source id {SourceId} failed")]
    private partial void LogImportFailed(Exception ex, string sourceId);

    /// <summary>An import's times as instants (UTC) by the rule of <see cref="Import.SourceTimes"/>, and what the rule did, if anything.</summary>
    private sealed record ImportTimes(DateTimeOffset RegisteredAt, DateTimeOffset? DueAt, DateTimeOffset? ClosedAt, string? Note);

    private (ImportRecord Record, ImportTimes Times) NormalizeImport(ImportRecord r, int index)
    {
        var p = $"records[{index}]";
        var source = r.Source?.Trim() ?? "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(source, "^[a-z][a-z0-9-]{0,29}$"))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{p}.source' must be a lower-case letter followed by up to 29 of a-z, 0-9 and '-'; it was '{r.Source}'.", $"{p}.source");
        }

        var zone = GrievanceRules.RequireText(r.TimeZone, 64, $"{p}.timeZone");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var timeZone))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{zone}' is not a known IANA time zone.", $"{p}.timeZone");
        }

        var (registeredAt, registeredNote) = Import.SourceTimes.Read(r.RegisteredAt, timeZone, $"{p}.registeredAt");
        var (dueAt, dueNote) = r.DueAt is null ? (default(DateTimeOffset?), default(string)) : Import.SourceTimes.Read(r.DueAt, timeZone, $"{p}.dueAt");
        var (closedAt, closedNote) = r.ClosedAt is null ? (default(DateTimeOffset?), default(string)) : Import.SourceTimes.Read(r.ClosedAt, timeZone, $"{p}.closedAt");
        if (registeredAt > clock.GetUtcNow().AddMinutes(5))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{p}.registeredAt' ({registeredAt:O}) is in the future.", $"{p}.registeredAt");
        }

        if (registeredAt.Year < 1990)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{p}.registeredAt' ({registeredAt:O}) is before 1990; no grievance system's records go back that far.", $"{p}.registeredAt");
        }

        // A source's due date is kept as given, but pausing and resuming moves it by working time, which the SLA
        // calendars know only up to 2100: a later one (a placeholder such as 9999-12-31) is not a due date.
        if (dueAt is { } due && (due.Year < 1990 || due.Year > 2099))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{p}.dueAt' ({due:O}) must fall in the years 1990 to 2099; leave it out for no due date.", $"{p}.dueAt");
        }

        if (closedAt > clock.GetUtcNow().AddMinutes(5))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{p}.closedAt' ({closedAt:O}) is in the future.", $"{p}.closedAt");
        }

        if (closedAt is { } closed && closed < registeredAt)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The record was closed ({closed:O}) before it was registered ({registeredAt:O}).", $"{p}.closedAt");
        }

        string[] notes = [.. new[] { registeredNote, dueNote, closedNote }.OfType<string>()];
        var times = new ImportTimes(registeredAt, dueAt, closedAt, notes.Length == 0 ? null : string.Join(" ", notes));

        var area = string.IsNullOrWhiteSpace(r.Area) ? null : GrievanceRules.RequireText(r.Area, 100, $"{p}.area");
        var closure = string.IsNullOrWhiteSpace(r.Closure) ? null : GrievanceRules.RequireText(r.Closure, GrievanceRules.MaxTextLength, $"{p}.closure");
        return (r with
        {
            Source = source,
            SourceName = GrievanceRules.RequireText(r.SourceName, 100, $"{p}.sourceName"),
            TimeZone = zone,
            SourceId = GrievanceRules.RequireId(r.SourceId, $"{p}.sourceId"),
            Department = GrievanceRules.RequireText(r.Department, 100, $"{p}.department"),
            Category = GrievanceRules.RequireText(r.Category, 200, $"{p}.category"),
            Area = area,
            Description = GrievanceRules.RequireText(r.Description, GrievanceRules.MaxTextLength, $"{p}.description"),
            Closure = closure,
        }, times);
    }

    private async Task<IGrievanceGrain> FindAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        var normalized = GrievanceRules.NormalizeReference(referenceNumber, "referenceNumber");
        var key = await queries.GrainKeyOfAsync(normalized, cancellationToken) ?? throw Unknown(normalized);
        return grains.GetGrain<IGrievanceGrain>(key);
    }

    /// <summary>The refusal for a reference number nobody has, and for one the caller may not see (they read alike).</summary>
    internal static HelplineException Unknown(string referenceNumber) =>
        new(GrievanceErrorCodes.UnknownGrievance, $"No grievance has reference number {ReferenceNumber.Display(referenceNumber)}.", "referenceNumber");
}
