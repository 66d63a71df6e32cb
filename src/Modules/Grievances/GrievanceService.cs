using Helpline.Catalogue;
using Helpline.Grievances.Domain;
using Helpline.Grievances.ReadModel;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;

namespace Helpline.Grievances;

internal sealed class GrievanceService(IGrainFactory grains, GrievanceQueries queries, IJurisdictionDirectory jurisdictions, ICatalogue catalogue) : IGrievanceService
{
    public Task<Grievance> RegisterAsync(RegisterGrievance request, CancellationToken cancellationToken)
    {
        var normalized = GrievanceRules.Normalize(request);
        if (jurisdictions.Find(normalized.JurisdictionId) is null)
        {
            throw new HelplineException(ErrorCodes.UnknownJurisdiction, $"No jurisdiction has id '{normalized.JurisdictionId}'.", "input.jurisdictionId");
        }

        if (catalogue.FindCategory(normalized.CategoryId) is null)
        {
            throw new HelplineException(ErrorCodes.UnknownCategory, $"No category has id '{normalized.CategoryId}'.", "input.categoryId");
        }

        return grains.GetGrain<IGrievanceGrain>(GrievanceKeys.ForRequest(normalized.ClientRequestId)).Register(normalized);
    }

    public async Task<Grievance> GetAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        var grain = await FindAsync(referenceNumber, cancellationToken);
        return await grain.Get() ?? throw Unknown(referenceNumber);
    }

    public async Task<Grievance> ResolveAsync(string referenceNumber, string officerId, string actionTakenReport, CancellationToken cancellationToken)
    {
        var officer = GrievanceRules.RequireId(officerId, "officerId");
        var report = GrievanceRules.RequireText(actionTakenReport, GrievanceRules.MaxTextLength, "actionTakenReport");
        return await (await FindAsync(referenceNumber, cancellationToken)).Resolve(officer, report);
    }

    public async Task<Grievance> RejectAsync(string referenceNumber, string officerId, string reason, CancellationToken cancellationToken)
    {
        var officer = GrievanceRules.RequireId(officerId, "officerId");
        var text = GrievanceRules.RequireText(reason, GrievanceRules.MaxTextLength, "reason");
        return await (await FindAsync(referenceNumber, cancellationToken)).Reject(officer, text);
    }

    public async Task<Grievance> DisposeOnCallAsync(string referenceNumber, string agentId, string answer, CancellationToken cancellationToken)
    {
        var agent = GrievanceRules.RequireId(agentId, "agentId");
        var text = GrievanceRules.RequireText(answer, GrievanceRules.MaxTextLength, "answer");
        return await (await FindAsync(referenceNumber, cancellationToken)).DisposeOnCall(agent, text);
    }

    public Task<GrievancePage> ListAsync(GrievanceFilter filter, int first, string? after, CancellationToken cancellationToken) =>
        queries.ListAsync(filter, first, after, cancellationToken);

    private async Task<IGrievanceGrain> FindAsync(string referenceNumber, CancellationToken cancellationToken)
    {
        var normalized = ReferenceNumber.Normalize(referenceNumber)
            ?? throw new HelplineException(
                ErrorCodes.InvalidReference,
                $"'{referenceNumber}' is not a Helpline reference number: expected 12 digits with a valid check digit.",
                "referenceNumber");
        var key = await queries.GrainKeyOfAsync(normalized, cancellationToken) ?? throw Unknown(normalized);
        return grains.GetGrain<IGrievanceGrain>(key);
    }

    private static HelplineException Unknown(string referenceNumber) =>
        new(ErrorCodes.UnknownGrievance, $"No grievance has reference number {ReferenceNumber.Display(referenceNumber)}.", "referenceNumber");
}
