using Helpline.WebConsole.Components.InboxParts;

namespace Helpline.WebConsole.Components.CallBackParts;

/// <summary>An open campaign as <c>callBackCampaigns</c> lists it.</summary>
public sealed record Campaign(string Id, DateOnly Day, string GroupId, string CallingFrom, string CallingUntil, long Pending, long HeldNow, long Total, long Done);

/// <summary>What <c>nextCallBack</c> answered: a call, or why there is none.</summary>
public sealed record NextCall(CallData? CallBack, string? Reason, DateTimeOffset? CallingResumesAt);

/// <summary>The call handed to the agent.</summary>
public sealed record CallData(string Id, string ReferenceNumber, DateTimeOffset DueAt, DateTimeOffset DisposedAt, string DisposalType, int Attempts, CallGrievance? Grievance);

/// <summary>What the agent needs for the call: what was asked, what was done, whom to call.</summary>
public sealed record CallGrievance(string Description, string? Disposal, string ComplainantName, string ComplainantMobile, int Level, Named? Category);

/// <summary>What <c>recordCallBackOutcome</c> answered.</summary>
public sealed record OutcomeResult(string? GrievanceStatus, int? GrievanceLevel, OutcomeCallBack CallBack);

/// <summary>The call-back after the outcome.</summary>
public sealed record OutcomeCallBack(string State, int Attempts);

/// <summary>The GraphQL operations of the call-back desk (fields as schema.graphql names them).</summary>
internal static class CallBackDocuments
{
    internal const string Campaigns = "{ callBackCampaigns(open: true) { id day groupId callingFrom callingUntil pending heldNow total done } }";

    internal const string Next = """
        mutation($c: String!) { nextCallBack(campaignId: $c) { reason callingResumesAt
          callBack { id referenceNumber dueAt disposedAt disposalType attempts
            grievance { description disposal complainantName complainantMobile level category { name nameHindi } } } } }
        """;

    internal const string Outcome = """
        mutation($id: ID!, $o: CallBackOutcome!, $rating: Int, $reason: String, $note: String) {
          recordCallBackOutcome(callBackId: $id, outcome: $o, rating: $rating, reason: $reason, note: $note) {
            grievanceStatus grievanceLevel callBack { state attempts } } }
        """;
}
