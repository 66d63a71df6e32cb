using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.Grains;
using Helpline.Officers;
using Helpline.Platform.Errors;
using static Helpline.Tests.Grievances.Lifecycle.FakeLookups;
using static Helpline.Tests.Grievances.Lifecycle.LifecycleWorld;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>Register, the disposals, the interim reply and reopening, on the pure lifecycle (no cluster).</summary>
public sealed class RegistrationAndDisposalTransitionTests
{
    private readonly LifecycleWorld _w = new();

    private GrievanceLifecycle L => _w.Lifecycle;

    [Fact]
    public void Registering_routes_to_L1_with_the_due_date_from_the_rules_and_appends_Registered_and_Routed()
    {
        var empty = new GrievanceState();
        var request = Request();
        var admission = L.Admit(empty, request)!;
        var t = L.Register(empty, admission, 42, T0);
        var s = t.State;
        var due = T0.AddDays(2);

        Assert.Equal(ReferenceNumber.Create(42, T0), s.ReferenceNumber);
        Assert.Equal((request, GrievanceStatus.Open, "water", Seat("water", 1), OfficerAt("water", 1), 1), (s.Request, s.Status, s.DepartmentId, s.PositionId, s.OfficerId, s.Level));
        Assert.Equal((T0, T0, (DateTimeOffset?)due, (DateTimeOffset?)T0.AddDays(1.5)), (s.RegisteredAt, s.SlaStartedAt, s.DueAt, s.AtRiskAt));
        Assert.Equal(TimeSpan.Zero, s.DueAt!.Value.Offset); // stored in UTC though the engine answers in IST
        Assert.False(s.DueFromSource || s.Breached || s.AtRiskAnnounced);
        Assert.Equal(
            [(TimelineEventType.Registered, T0, "agent-17", OfficerAt("water", 1), (int?)1, (DateTimeOffset?)due), (TimelineEventType.Routed, T0, "system", OfficerAt("water", 1), 1, due)],
            t.Appended.Select(Shape));
        Assert.Equal("Registered via Phone as Complaint.", t.Appended[0].Note);
        Assert.Equal("Routed to water seat L1 (water@L1), L1; SLA 2 calendar days (catalogue default), due 2026-11-04 04:30:00 UTC.", t.Appended[1].Note);
        Assert.All(t.Appended, e => Assert.Equal((Seat("water", 1), "water", Water, "place"), (e.PositionId, e.DepartmentId, e.CategoryId, e.JurisdictionId)));
        Assert.Equal([1, 2], s.Timeline.Select(e => e.Sequence));
        Assert.True(t.Changed && t.Track);
        Assert.Empty(t.Effects);
        Assert.Null(empty.ReferenceNumber); // the state given is not changed
        Assert.Empty(empty.Timeline);
        Assert.Throws<InvalidOperationException>(() => L.Register(s, admission, 43, T0));
    }

    [Fact]
    public void A_repeat_is_admitted_as_nothing_to_do_and_refusals_name_their_code_and_field()
    {
        var s = _w.Registered();
        Assert.Null(L.Admit(s, Request()));

        var reused = Assert.Throws<HelplineException>(() => L.Admit(s, Request() with { Description = "Something else." }));
        Assert.Equal((GrievanceErrorCodes.IdempotencyConflict, "input.clientRequestId"), (reused.Code, reused.Field));
        Assert.StartsWith("Client request id 'req-1' was already used for grievance ", reused.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<HelplineException>(() => L.Admit(new GrievanceState(), Request("no-such-category")));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "input.categoryId", "No category has id 'no-such-category'."), (unknown.Code, unknown.Field, unknown.Message));

        var noRoute = Assert.Throws<HelplineException>(() => L.Admit(new GrievanceState(), Request(jurisdiction: Nowhere)));
        Assert.Equal((OfficerErrorCodes.NoRoute, "input.jurisdictionId"), (noRoute.Code, noRoute.Field));
    }

    [Fact]
    public void The_holder_resolves_or_rejects_and_releases_it_and_nobody_else_may()
    {
        var s = _w.Registered();
        var holder = OfficerAt("water", 1);
        var now = T0.AddHours(5);

        var other = Assert.Throws<HelplineException>(() => L.Resolve(s, "OFF-someone", "Done.", now));
        Assert.Equal((GrievanceErrorCodes.NotAssignedOfficer, "officerId"), (other.Code, other.Field));
        Assert.Contains($"is held by officer {holder} (L1), not OFF-someone, nor by a seat above theirs that OFF-someone holds.", other.Message, StringComparison.Ordinal);
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, Assert.Throws<HelplineException>(() => L.Reject(s, holder.ToUpperInvariant(), "No.", now)).Code);

        var resolved = L.Resolve(s, holder, "Pipeline repaired.", now);
        Assert.Equal((GrievanceStatus.Resolved, (DateTimeOffset?)now, "Pipeline repaired."), (resolved.State.Status, resolved.State.ClosedAt, resolved.State.Disposal));
        Assert.Equal([(TimelineEventType.Resolved, now, holder, holder, (int?)1, s.DueAt)], resolved.Appended.Select(Shape));
        Assert.Equal([new ReleaseFrom(holder, now)], resolved.Effects); // counted among the holder's disposals
        Assert.False(resolved.Track);
        Assert.Equal(GrievanceStatus.Open, s.Status);

        var rejected = L.Reject(s, holder, "Private dispute.", now);
        Assert.Equal((GrievanceStatus.Rejected, TimelineEventType.Rejected, "Private dispute."), (rejected.State.Status, rejected.Appended.Single().Type, rejected.State.Disposal));
        Assert.Equal([new ReleaseFrom(holder, now)], rejected.Effects);

        var twice = Assert.Throws<HelplineException>(() => L.Resolve(resolved.State, holder, "Again.", now));
        Assert.Equal((GrievanceErrorCodes.InvalidTransition, "referenceNumber"), (twice.Code, twice.Field));
        Assert.EndsWith(": it is already Resolved.", twice.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<HelplineException>(() => L.Resolve(new GrievanceState(), holder, "?", now));
        Assert.Equal((GrievanceErrorCodes.UnknownGrievance, "referenceNumber"), (unknown.Code, unknown.Field));
    }

    [Fact]
    public void Only_an_open_information_request_is_disposed_of_on_the_call()
    {
        var complaint = _w.Registered();
        var refused = Assert.Throws<HelplineException>(() => L.DisposeOnCall(complaint, "agent-9", "Told them.", T0));
        Assert.Equal((GrievanceErrorCodes.InvalidTransition, "referenceNumber"), (refused.Code, refused.Field));
        Assert.EndsWith("is a Complaint; only an information request can be disposed of on the call.", refused.Message, StringComparison.Ordinal);

        var info = _w.Registered(kind: GrievanceKind.Information);
        var t = L.DisposeOnCall(info, "agent-9", "Office hours are 10 to 5.", T0.AddMinutes(3));
        Assert.Equal(GrievanceStatus.DisposedOnCall, t.State.Status);
        Assert.Equal([(TimelineEventType.DisposedOnCall, T0.AddMinutes(3), "agent-9", OfficerAt("water", 1), (int?)1, info.DueAt)], t.Appended.Select(Shape));
        Assert.Equal([new ReleaseFrom(OfficerAt("water", 1))], t.Effects); // the agent's answer is not the officer's disposal
    }

    [Fact]
    public void An_interim_reply_is_recorded_by_the_holder_without_touching_the_clock()
    {
        var s = _w.Registered();
        var t = L.RecordInterimReply(s, OfficerAt("water", 1), "Tanker sent tomorrow.", T0.AddHours(1));
        Assert.Equal([(TimelineEventType.InterimReply, T0.AddHours(1), OfficerAt("water", 1), OfficerAt("water", 1), (int?)1, s.DueAt)], t.Appended.Select(Shape));
        Assert.Equal("Tanker sent tomorrow.", t.Appended[0].Note);
        Assert.Equal((s.DueAt, s.AtRiskAt), (t.State.DueAt, t.State.AtRiskAt));
        Assert.False(t.Track);
        Assert.Empty(t.Effects);
        Assert.Equal(GrievanceErrorCodes.NotAssignedOfficer, Assert.Throws<HelplineException>(() => L.RecordInterimReply(s, "OFF-x", "Hi.", T0)).Code);
    }

    [Fact]
    public void Reopening_goes_one_level_up_with_a_fresh_due_date_and_only_after_disposal()
    {
        var s = _w.Registered();
        var open = Assert.Throws<HelplineException>(() => L.Reopen(s, "agent-3", "Still no water.", T0));
        Assert.Equal((GrievanceErrorCodes.InvalidTransition, "referenceNumber"), (open.Code, open.Field));
        Assert.EndsWith("is open; only a disposed grievance can be reopened.", open.Message, StringComparison.Ordinal);

        var resolved = L.Resolve(s, OfficerAt("water", 1), "Done.", T0.AddDays(1)).State;
        var now = T0.AddDays(3);
        var t = L.Reopen(resolved, "agent-3", "Still no water.", now);
        var due = now.AddDays(3);
        Assert.Equal((GrievanceStatus.Open, 2, OfficerAt("water", 2), (DateTimeOffset?)null, (string?)null), (t.State.Status, t.State.Level, t.State.OfficerId, t.State.ClosedAt, t.State.Disposal));
        Assert.Equal(
            // Rule 7: the Reopened event carries the holder and due date after the change (T0 + 3 d + 3 d at L2), not L1's old one.
            [(TimelineEventType.Reopened, now, "agent-3", OfficerAt("water", 2), (int?)2, (DateTimeOffset?)due), (TimelineEventType.Routed, now, "system", OfficerAt("water", 2), 2, due)],
            t.Appended.Select(Shape));
        Assert.Equal("Reopened with water seat L2 (water@L2), L2; SLA 3 calendar days (catalogue default), due 2026-11-08 04:30:00 UTC.", t.Appended[1].Note);
        Assert.True(t.Track);
        Assert.Empty(t.Effects);
    }

    [Fact]
    public void Reopening_at_the_top_stays_with_the_seat_and_a_vacant_seat_is_refused_without_change()
    {
        var s = _w.Registered(Roads);
        s = L.OnDueDatePassed(s, s.DueAt!.Value, s.DueAt.Value).State; // L2, the top of the roads chain
        var closed = L.Reject(s, OfficerAt("roads", 2), "Duplicate.", T0.AddDays(2)).State;

        var t = L.Reopen(closed, "agent-3", "Not a duplicate.", T0.AddDays(4));
        Assert.Equal((2, Seat("roads", 2), (DateTimeOffset?)T0.AddDays(6)), (t.State.Level, t.State.PositionId, t.State.DueAt));

        _w.Lookups.Vacant.Add(Seat("roads", 2));
        var vacant = Assert.Throws<HelplineException>(() => L.Reopen(closed, "agent-3", "Not a duplicate.", T0.AddDays(4)));
        Assert.Equal((OfficerErrorCodes.NoRoute, "referenceNumber"), (vacant.Code, vacant.Field));
        Assert.Equal(GrievanceStatus.Rejected, closed.Status);
    }
}
