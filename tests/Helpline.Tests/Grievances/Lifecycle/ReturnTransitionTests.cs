using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;
using static Helpline.Tests.Grievances.Lifecycle.FakeLookups;
using static Helpline.Tests.Grievances.Lifecycle.LifecycleWorld;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>
/// Returns on the pure lifecycle: the L1 officer asks, the L2 officer (the seat above the one that asked) decides;
/// every refusal's code and field, retries, and the request lapsing when the grievance leaves the seat.
/// </summary>
public sealed class ReturnTransitionTests
{
    private static readonly string L1 = OfficerAt("water", 1);
    private static readonly string L2 = OfficerAt("water", 2);

    private readonly LifecycleWorld _w = new();

    private GrievanceLifecycle L => _w.Lifecycle;

    private static HelplineException Refused(Func<Transition> act) => Assert.Throws<HelplineException>(() => act());

    [Fact]
    public void A_request_records_only_the_event_the_holder_and_clock_stay()
    {
        var s = _w.Registered();
        var t = L.RequestReturn(s, L1, ReturnKind.SubJudice, "Case 12/2026 pending in the civil court.", T0.AddHours(1));

        var e = Assert.Single(t.Appended);
        Assert.Equal((TimelineEventType.ReturnRequested, L1, (ReturnKind?)ReturnKind.SubJudice, L1, Seat("water", 1), (int?)1, s.DueAt), (e.Type, e.Actor, e.ReturnKind, e.OfficerId, e.PositionId, e.Level, e.DueAt));
        Assert.Equal(new PendingReturn(ReturnKind.SubJudice, "Case 12/2026 pending in the civil court.", L1, T0.AddHours(1), Seat("water", 1)), t.State.PendingReturn);
        Assert.Equal((s.OfficerId, s.PositionId, s.Level, s.DueAt, s.AtRiskAt, s.Status), (t.State.OfficerId, t.State.PositionId, t.State.Level, t.State.DueAt, t.State.AtRiskAt, t.State.Status));
        Assert.Empty(t.Effects);
        Assert.Null(s.PendingReturn); // the state given is not changed
    }

    [Fact]
    public void The_same_request_repeated_changes_nothing_and_a_different_one_is_already_pending()
    {
        var s = _w.Registered();
        var first = L.RequestReturn(s, L1, ReturnKind.Repeat, "Same as 2600 0000 0042.", T0.AddHours(1)).State;

        var again = L.RequestReturn(first, L1, ReturnKind.Repeat, "Same as 2600 0000 0042.", T0.AddHours(2));
        Assert.False(again.Changed);
        Assert.Same(first, again.State);

        var other = Refused(() => L.RequestReturn(first, L1, ReturnKind.PersonalDispute, "Same as 2600 0000 0042.", T0.AddHours(2)));
        Assert.Equal((GrievanceErrorCodes.ReturnAlreadyPending, "referenceNumber"), (other.Code, other.Field));
        var byTheSupervisor = Refused(() => L.RequestReturn(first, L2, ReturnKind.Repeat, "Same as 2600 0000 0042.", T0.AddHours(2)));
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, byTheSupervisor.Code);
    }

    [Fact]
    public void A_request_is_refused_when_not_held_not_open_or_not_at_level_1()
    {
        var s = _w.Registered();
        var stranger = Refused(() => L.RequestReturn(s, OfficerAt("roads", 1), ReturnKind.Repeat, "x", T0));
        Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (stranger.Code, stranger.Field));

        var escalated = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State;
        var notL1 = Refused(() => L.RequestReturn(escalated, L2, ReturnKind.Repeat, "x", s.DueAt.Value));
        Assert.Equal((GrievanceErrorCodes.ReturnNotAtLevelOne, "referenceNumber"), (notL1.Code, notL1.Field));

        var resolved = L.Resolve(s, L1, "Done.", T0.AddHours(1)).State;
        var closed = Refused(() => L.RequestReturn(resolved, L1, ReturnKind.Repeat, "x", T0.AddHours(2)));
        Assert.Equal((GrievanceErrorCodes.InvalidTransition, "referenceNumber"), (closed.Code, closed.Field));

        // Unlike other holder actions, the supervisor may not ask for the holder: they would then decide their own
        // request, and one person alone would close the grievance or put a refused return on the L1 officer's record.
        var bySupervisor = Refused(() => L.RequestReturn(s, L2, ReturnKind.Repeat, "x", T0));
        Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (bySupervisor.Code, bySupervisor.Field));
    }

    [Fact]
    public void A_request_made_by_the_L2_officer_holding_the_L1_seats_charge_is_decided_one_seat_further_up()
    {
        // The L2 officer held the L1 seat's charge and asked (as the seat's acting holder): they may not decide it, and
        // the request does not wait for ever: the seat above theirs decides.
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.Repeat, "Same as 2600 0000 0042.", T0.AddHours(1)).State;
        s.PendingReturn = s.PendingReturn! with { RequestedBy = L2 };

        var self = Refused(() => L.DecideReturn(s, L2, approve: true, "Agreed.", null, null, T0.AddHours(2)));
        Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (self.Code, self.Field));
        var t = L.DecideReturn(s, OfficerAt("water", 3), approve: false, "Not a repeat: a new complaint.", null, null, T0.AddHours(2));
        Assert.Equal(TimelineEventType.ReturnRefused, Assert.Single(t.Appended).Type);
    }

    [Fact]
    public void A_refusal_keeps_it_with_the_L1_officer_and_a_repeated_decision_is_NO_PENDING_RETURN()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.PersonalDispute, "A boundary quarrel between neighbours.", T0.AddHours(1)).State;
        var t = L.DecideReturn(s, L2, approve: false, "The encroachment is on public land: act on it.", null, null, T0.AddHours(2));

        var e = Assert.Single(t.Appended);
        Assert.Equal((TimelineEventType.ReturnRefused, L2, (ReturnKind?)ReturnKind.PersonalDispute, L1, (int?)1), (e.Type, e.Actor, e.ReturnKind, e.OfficerId, e.Level));
        Assert.Equal((L1, 1, s.DueAt, GrievanceStatus.Open, (PendingReturn?)null), (t.State.OfficerId, t.State.Level, t.State.DueAt, t.State.Status, t.State.PendingReturn));
        Assert.Empty(t.Effects);

        var again = Refused(() => L.DecideReturn(t.State, L2, approve: false, "The encroachment is on public land: act on it.", null, null, T0.AddHours(3)));
        Assert.Equal((GrievanceErrorCodes.NoPendingReturn, "referenceNumber"), (again.Code, again.Field));
        Assert.Contains("refused", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_officer_acting_for_the_seat_above_the_one_that_asked_decides()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.Repeat, "Repeat.", T0.AddHours(1)).State;
        foreach (var who in new[] { L1, OfficerAt("water", 3), OfficerAt("roads", 2) })
        {
            var e = Refused(() => L.DecideReturn(s, who, approve: true, "ok", null, null, T0.AddHours(2)));
            Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (e.Code, e.Field));
        }

        var none = Refused(() => L.DecideReturn(_w.Registered(), L2, approve: true, "ok", null, null, T0.AddHours(2)));
        Assert.Equal((GrievanceErrorCodes.NoPendingReturn, "referenceNumber"), (none.Code, none.Field));
    }

    [Fact]
    public void A_not_pertaining_approval_needs_exactly_one_destination_and_a_special_one_none()
    {
        var np = L.RequestReturn(_w.Registered(), L1, ReturnKind.NotPertaining, "Meters are another section's.", T0.AddHours(1)).State;
        var neither = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", null, null, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Required, "positionId"), (neither.Code, neither.Field));
        var both = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", WaterAside.Id, WaterMeter, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "categoryId"), (both.Code, both.Field));
        var refusalWithSeat = Refused(() => L.DecideReturn(np, L2, approve: false, "no", WaterAside.Id, null, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (refusalWithSeat.Code, refusalWithSeat.Field));
        var otherDepartment = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", Seat("roads", 1), null, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (otherDepartment.Code, otherDepartment.Field));
        var unknownCategory = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", null, "no-such-category", T0.AddHours(2)));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "categoryId"), (unknownCategory.Code, unknownCategory.Field));

        // Another category of the same office routes it back to the seat that returned it: refused, as the same seat is.
        var backToTheSameSeat = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", null, WaterMeter, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "categoryId"), (backToTheSameSeat.Code, backToTheSameSeat.Field));
        Assert.Contains("back to seat " + Seat("water", 1), backToTheSameSeat.Message, StringComparison.Ordinal);
        var sameSeat = Refused(() => L.DecideReturn(np, L2, approve: true, "ok", Seat("water", 1), null, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "positionId"), (sameSeat.Code, sameSeat.Field));

        var special = L.RequestReturn(_w.Registered(), L1, ReturnKind.SubJudice, "In court.", T0.AddHours(1)).State;
        var withCategory = Refused(() => L.DecideReturn(special, L2, approve: true, "ok", null, WaterMeter, T0.AddHours(2)));
        Assert.Equal((ErrorCodes.Invalid, "categoryId"), (withCategory.Code, withCategory.Field));
    }

    [Fact]
    public void An_approved_not_pertaining_return_to_a_seat_records_the_approval_then_the_forward_at_L1_due_from_now()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.NotPertaining, "This village is served by the other office.", T0.AddHours(1)).State;
        var now = T0.AddDays(1);
        var t = L.DecideReturn(s, L2, approve: true, "Agreed: the other office.", WaterAside.Id, null, now);

        Assert.Equal([TimelineEventType.ReturnApproved, TimelineEventType.Forwarded], t.Appended.Select(e => e.Type));
        var approved = t.Appended[0];
        Assert.Equal((L2, L1, Seat("water", 1), (ReturnKind?)ReturnKind.NotPertaining), (approved.Actor, approved.OfficerId, approved.PositionId, approved.ReturnKind));
        var forwarded = t.Appended[1];
        Assert.Equal((L2, "OFF-" + WaterAside.Id, WaterAside.Id, (int?)1, (DateTimeOffset?)now.AddDays(2)), (forwarded.Actor, forwarded.OfficerId, forwarded.PositionId, forwarded.Level, forwarded.DueAt?.ToUniversalTime()));
        Assert.Null(forwarded.ReturnKind);
        Assert.Equal((WaterAside.Id, 1, (PendingReturn?)null), (t.State.PositionId, t.State.Level, t.State.PendingReturn));
        Assert.Equal([new ReleaseFrom(L1)], t.Effects);
        Assert.True(t.Track);
    }

    [Fact]
    public void An_approved_not_pertaining_return_to_a_category_is_rerouted_with_a_fresh_clock()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.NotPertaining, "A pothole, not water.", T0.AddHours(1)).State;
        var now = T0.AddDays(1);
        var t = L.DecideReturn(s, L2, approve: true, "Roads it is.", null, Roads, now);

        Assert.Equal([TimelineEventType.ReturnApproved, TimelineEventType.Recategorised, TimelineEventType.Recomputed], t.Appended.Select(e => e.Type));
        Assert.Equal((L1, "water"), (t.Appended[0].OfficerId, t.Appended[0].DepartmentId));
        Assert.Equal((OfficerAt("roads", 1), Seat("roads", 1), 1, "roads", (DateTimeOffset?)now.AddDays(1)), (t.State.OfficerId, t.State.PositionId, t.State.Level, t.State.DepartmentId, t.State.DueAt?.ToUniversalTime()));
        Assert.Equal([L2, L2, GrievanceLifecycle.SystemActor], t.Appended.Select(e => e.Actor));
    }

    [Fact]
    public void An_approved_special_closure_is_a_disposal_the_holder_releases_and_it_can_be_reopened()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.Repeat, "Same as grievance 2600 0000 0042.", T0.AddHours(1)).State;
        var now = T0.AddHours(5);
        var t = L.DecideReturn(s, L2, approve: true, "Checked: a repeat.", null, null, now);

        Assert.Equal([TimelineEventType.ReturnApproved, TimelineEventType.SpeciallyClosed], t.Appended.Select(e => e.Type));
        Assert.All(t.Appended, e => Assert.Equal((ReturnKind?)ReturnKind.Repeat, e.ReturnKind));
        Assert.Equal((GrievanceStatus.SpeciallyClosed, (DateTimeOffset?)now, (PendingReturn?)null), (t.State.Status, t.State.ClosedAt, t.State.PendingReturn));
        Assert.Equal("Specially closed (repeat): Same as grievance 2600 0000 0042.", t.State.Disposal);
        Assert.Equal([new ReleaseFrom(L1, now)], t.Effects);
        Assert.Equal(t.Appended[1], GrievanceLifecycle.LastDisposal(t.State));

        var again = Refused(() => L.DecideReturn(t.State, L2, approve: true, "Checked: a repeat.", null, null, now.AddMinutes(1)));
        Assert.Equal(GrievanceErrorCodes.NoPendingReturn, again.Code);

        var reopened = L.Reopen(t.State, "agent-17", "The complainant says it is not a repeat.", now.AddDays(1)).State;
        Assert.Equal((GrievanceStatus.Open, 2, L2), (reopened.Status, reopened.Level, reopened.OfficerId));
        var closedOnCallBack = L.ApplyCallBack(t.State, new CallBackVerdict("cb-1", t.Appended[1].Sequence, CallBackDecision.Close, "cb-agent", "Satisfied."), now.AddDays(1)).State;
        Assert.Equal(GrievanceStatus.Closed, closedOnCallBack.Status);
    }

    [Fact]
    public void A_pending_request_lapses_when_the_grievance_leaves_the_seat()
    {
        var s = L.RequestReturn(_w.Registered(), L1, ReturnKind.SubJudice, "In court.", T0.AddHours(1)).State;

        var escalated = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value);
        Assert.Null(escalated.State.PendingReturn);
        Assert.EndsWith(GrievanceLifecycle.LapsedNote, escalated.Appended.Single(e => e.Type == TimelineEventType.Escalated).Note, StringComparison.Ordinal);
        Assert.DoesNotContain(GrievanceLifecycle.LapsedNote, escalated.Appended.Single(e => e.Type == TimelineEventType.Breached).Note!, StringComparison.Ordinal);
        var late = Refused(() => L.DecideReturn(escalated.State, L2, approve: true, "ok", null, null, s.DueAt.Value));
        Assert.Equal(GrievanceErrorCodes.NoPendingReturn, late.Code);
        Assert.Contains("lapsed", late.Message, StringComparison.Ordinal);

        var forwarded = L.Forward(s, L1, WaterAside.Id, "Other office.", T0.AddHours(2));
        Assert.Null(forwarded.State.PendingReturn);
        Assert.EndsWith(GrievanceLifecycle.LapsedNote, forwarded.Appended[^1].Note, StringComparison.Ordinal);

        var recategorised = L.Recategorise(s, L1, WaterMeter, "A meter.", T0.AddHours(2));
        Assert.Null(recategorised.State.PendingReturn);
        Assert.EndsWith(GrievanceLifecycle.LapsedNote, recategorised.Appended.Single(e => e.Type == TimelineEventType.Recategorised).Note, StringComparison.Ordinal);

        var resolved = L.Resolve(s, L1, "Done.", T0.AddHours(2));
        Assert.Null(resolved.State.PendingReturn);
        Assert.Equal("Done.", resolved.State.Disposal);
        Assert.Equal("Done." + GrievanceLifecycle.LapsedNote, resolved.Appended[^1].Note);

        // An interim reply or a hold does not move it: the request stays.
        Assert.NotNull(L.RecordInterimReply(s, L1, "Visiting Thursday.", T0.AddHours(2)).State.PendingReturn);
        Assert.NotNull(L.Pause(s, L1, "Waiting.", T0.AddHours(2)).State.PendingReturn);
    }
}

