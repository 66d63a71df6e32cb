using System.Globalization;
using GraphQL;
using GraphQL.Types;
using Helpline.Jurisdictions;
using Helpline.Officers.Postings;
using Helpline.Officers.Roster;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.Officers.GraphQL;

/// <summary>The root fields of postings and leave: changes by an unscoped administrator, reports for administrators, auditors and supervisors.</summary>
internal static class PostingFields
{
    private static readonly Role[] Readers = [Role.Administrator, Role.Auditor];

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PositionGraphType>>>>("vacantPositions")
            .AllowedTo(Role.Administrator, Role.Auditor, Role.Supervisor)
            .Description("Positions with nobody posted and nobody holding their charge, by id: a registration routed to one is refused (NO_ROUTE). Optionally of one department, and at a jurisdiction or below it. A supervisor sees those of their team.")
            .Argument<StringGraphType>("departmentId")
            .Argument<StringGraphType>("jurisdictionId")
            .Resolve(c =>
            {
                var directory = c.RequestServices!.GetRequiredService<OfficerDirectory>();
                var places = c.RequestServices!.GetRequiredService<IJurisdictionDirectory>();
                var departmentId = c.GetArgument<string?>("departmentId");
                var jurisdictionId = c.GetArgument<string?>("jurisdictionId");
                var scope = Caller.Of(c).Scope;
                var roster = directory.Current;
                var now = directory.Now;
                bool Under(Position p, IReadOnlySet<string> roots) => places.PathToRoot(p.JurisdictionId).Any(j => roots.Contains(j.Id));
                IReadOnlySet<string>? under = jurisdictionId is null ? null : new HashSet<string>(StringComparer.Ordinal) { jurisdictionId };
                return roster.Positions
                    .Where(p => roster.HolderOf(p.Id, now) is null)
                    .Where(p => departmentId is null || p.DepartmentId == departmentId)
                    .Where(p => under is null || Under(p, under))
                    .Where(p => scope.Positions is null || scope.Positions.Contains(p.Id))
                    .Where(p => scope.Departments is null || scope.Departments.Contains(p.DepartmentId))
                    .Where(p => scope.Jurisdictions is null || Under(p, scope.Jurisdictions))
                    .OrderBy(p => p.Id, StringComparer.Ordinal)
                    .ToList();
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PostingGraphType>>>>("postings")
            .AllowedTo(Readers)
            .Description($"Postings made or ended by administrators, of an officer or a position (at least one), newest first, at most {PostingHistory.Limit}.")
            .Argument<StringGraphType>("officerId")
            .Argument<StringGraphType>("positionId")
            .ResolveAsync(async c =>
            {
                var officerId = c.GetArgument<string?>("officerId");
                var positionId = c.GetArgument<string?>("positionId");
                if (officerId is null && positionId is null)
                {
                    throw new HelplineException(ErrorCodes.Required, "Give an officerId or a positionId.", "officerId");
                }

                return await c.RequestServices!.GetRequiredService<PostingHistory>().PostingsAsync(officerId, positionId, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<LeaveGraphType>>>>("leaves")
            .AllowedTo(Readers)
            .Description("An officer's leaves and the leaves whose charge they hold (cancelled ones too), latest first.")
            .Argument<NonNullGraphType<StringGraphType>>("officerId")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<PostingHistory>().LeavesAsync(c.GetArgument<string>("officerId"), c.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<OfficerGraphType>>("addOfficer")
            .AllowedTo(Role.Administrator)
            .Description("Adds an officer, not yet posted (postOfficer posts them). Idempotent by clientRequestId.")
            .Argument<NonNullGraphType<AddOfficerInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                return await Postings(c).AddOfficerAsync(Text(input, "clientRequestId")!, Text(input, "name")!, Text(input, "mobile")!, actor, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<OfficerGraphType>>("postOfficer")
            .AllowedTo(Role.Administrator)
            .Description("Posts an officer to a position. Their current posting ends (a transfer); the position's open grievances go to them (PositionHolderChanged). A position held by another is refused (POSITION_HELD) unless relieveHolder. A pool (setPool) takes one more member and moves nobody's grievances; relieveHolder is refused there.")
            .Argument<NonNullGraphType<PostOfficerInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                return await Postings(c).PostAsync(
                    Text(input, "officerId")!, Text(input, "positionId")!, input.GetValueOrDefault("relieveHolder") as bool? ?? false, Text(input, "note"), actor, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<OfficerGraphType>>("endPosting")
            .AllowedTo(Role.Administrator)
            .Description("Ends an officer's posting (transfer out or retirement); the position is left with nobody posted and is reported by vacantPositions until someone is posted. A pool member's open grievances go to the members who remain.")
            .Argument<NonNullGraphType<EndPostingInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                return await Postings(c).EndPostingAsync(Text(input, "officerId")!, (PostingEndReason)input["reason"]!, Text(input, "note"), actor, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<LeaveGraphType>>("recordLeave")
            .AllowedTo(Role.Administrator)
            .Description("Records leave of a posted officer from 'from' to 'to', with the officer who holds the charge of their seat meanwhile: new registrations go to the charge officer, open ones too when handOverOpen. Recording the same leave again returns it.")
            .Argument<NonNullGraphType<RecordLeaveInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                return await c.RequestServices!.GetRequiredService<LeaveAdministration>().RecordAsync(
                    Text(input, "officerId")!,
                    (DateTimeOffset)input["from"]!,
                    (DateTimeOffset)input["to"]!,
                    Text(input, "chargeOfficerId")!,
                    input.GetValueOrDefault("handOverOpen") as bool? ?? false,
                    Text(input, "note"),
                    actor,
                    c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<LeaveGraphType>>("endLeave")
            .AllowedTo(Role.Administrator)
            .Description("Ends a leave now: in force, the officer acts for their seat again and its open grievances come back to them; not yet begun, it is cancelled.")
            .Argument<NonNullGraphType<EndLeaveInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                var id = long.TryParse(Text(input, "leaveId"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new HelplineException(ErrorCodes.Invalid, $"No leave has the id '{Text(input, "leaveId")}'.", "input.leaveId");
                return await c.RequestServices!.GetRequiredService<LeaveAdministration>().EndAsync(id, Text(input, "note"), actor, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<PositionGraphType>>("setOfficePhone")
            .AllowedTo(Role.Administrator)
            .Description("Sets the office phone of a position, shown to the public with the officer acting for it (never a personal number); null clears it.")
            .Argument<NonNullGraphType<SetOfficePhoneInputGraphType>>("input")
            .ResolveAsync(async c =>
            {
                var input = Input(c, out var actor);
                return await Postings(c).SetOfficePhoneAsync(Text(input, "positionId")!, Text(input, "officePhone"), actor, c.CancellationToken);
            });
    }

    private static PostingAdministration Postings(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<PostingAdministration>();

    /// <summary>The <c>input</c> argument, for an unscoped administrator (postings reach across departments and places).</summary>
    private static Dictionary<string, object?> Input(IResolveFieldContext c, out string actor)
    {
        var caller = Caller.Of(c);
        caller.RequireUnlimited("posting and leave administration");
        actor = caller.Subject;
        return c.GetArgument<Dictionary<string, object?>>("input");
    }

    private static string? Text(Dictionary<string, object?> input, string name) => input.GetValueOrDefault(name)?.ToString();
}
