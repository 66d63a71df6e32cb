using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain;
using Helpline.Grievances.Domain.Lifecycle;
using Helpline.Grievances.Grains;
using Helpline.Platform.Errors;
using static Helpline.Tests.Grievances.Lifecycle.FakeLookups;
using static Helpline.Tests.Grievances.Lifecycle.LifecycleWorld;

namespace Helpline.Tests.Grievances.Lifecycle;

/// <summary>An import is a registration with the source's times, a breach at each passed due date, then the closure.</summary>
public sealed class ImportTransitionTests
{
    private readonly LifecycleWorld _w = new();

    private GrievanceLifecycle L => _w.Lifecycle;

    private static ImportGrievance Case(DateTimeOffset? dueAt, DateTimeOffset? closedAt, string? closure = null, string category = Water) =>
        new("boston311", "101004113", GrievanceKind.Complaint, "place", category, "Pothole on Main St.", T0, dueAt, closedAt, closure, "importer-1");

    private Transition Import(ImportGrievance import, DateTimeOffset now)
    {
        var empty = new GrievanceState();
        return L.Import(empty, L.AdmitImport(empty, import)!, import, 7, now);
    }

    [Fact]
    public void A_closed_case_breaches_at_each_due_date_that_passed_before_closing_then_is_resolved_at_its_closing_time()
    {
        var (due1, closed) = (T0.AddDays(1), T0.AddDays(5));
        var t = Import(Case(due1, closed, "Pothole filled."), now: T0.AddDays(400));
        var (due2, due3) = (due1.AddDays(3), due1.AddDays(3).AddDays(4)); // water L2 3 days, L3 4 days, each from the breach

        Assert.Equal(
            [
                (TimelineEventType.Registered, T0, "importer-1", OfficerAt("water", 1), (int?)1, (DateTimeOffset?)due1),
                (TimelineEventType.Routed, T0, "system", OfficerAt("water", 1), 1, due1),
                (TimelineEventType.Breached, due1, "system", OfficerAt("water", 1), 1, due1),
                (TimelineEventType.Escalated, due1, "system", OfficerAt("water", 2), 2, due2),
                (TimelineEventType.Breached, due2, "system", OfficerAt("water", 2), 2, due2),
                (TimelineEventType.Escalated, due2, "system", OfficerAt("water", 3), 3, due3),
                (TimelineEventType.Resolved, closed, "importer-1", OfficerAt("water", 3), 3, due3),
            ],
            t.Appended.Select(Shape));
        Assert.Equal(["Imported from boston311, case 101004113.", "Routed to water seat L1 (water@L1), L1, due date set by the source."], t.Appended.Take(2).Select(e => e.Note));
        Assert.Equal("Pothole filled.", t.Appended[^1].Note);

        var s = t.State;
        Assert.Equal(ReferenceNumber.Create(7, T0), s.ReferenceNumber);
        Assert.Equal((GrievanceStatus.Resolved, (DateTimeOffset?)closed, "Pothole filled.", true, false, false), (s.Status, s.ClosedAt, s.Disposal, s.Breached, s.BreachedAtTop, s.DueFromSource));
        Assert.Equal(
            new RegisterGrievance("import:boston311:101004113", GrievanceKind.Complaint, new Complainant("Not recorded (imported)", ""), "place", Water, "Pothole on Main St.", Channel.Import, "importer-1"),
            s.Request);
        Assert.Empty(t.Effects); // officers never held the case on the way: only the end result is tracked
        Assert.True(t.Changed && t.Track);
    }

    [Fact]
    public void An_open_case_breaches_up_to_now_and_keeps_the_sources_due_date_until_then()
    {
        var due1 = T0.AddDays(1);
        var early = Import(Case(due1, null), now: T0.AddHours(20)).State;
        Assert.Equal((GrievanceStatus.Open, 1, (DateTimeOffset?)due1, true, (DateTimeOffset?)null), (early.Status, early.Level, early.DueAt, early.DueFromSource, early.AtRiskAt));
        Assert.Equal([TimelineEventType.Registered, TimelineEventType.Routed], early.Timeline.Select(e => e.Type));

        var late = Import(Case(due1, null, category: Roads), now: T0.AddDays(30)).State; // roads: two seats
        Assert.Equal((GrievanceStatus.Open, 2, true, false), (late.Status, late.Level, late.BreachedAtTop, late.DueFromSource));
        Assert.Equal(
            [TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Breached, TimelineEventType.Escalated, TimelineEventType.Breached, TimelineEventType.BreachedAtTop],
            late.Timeline.Select(e => e.Type));
        Assert.Equal(due1.AddDays(2), late.Timeline[^1].At);
    }

    [Fact]
    public void A_case_without_a_due_date_has_no_SLA_and_closes_with_the_default_note()
    {
        var t = Import(Case(null, T0.AddDays(90)), now: T0.AddDays(400));
        Assert.Equal([TimelineEventType.Registered, TimelineEventType.Routed, TimelineEventType.Resolved], t.Appended.Select(e => e.Type));
        Assert.Equal("Routed to water seat L1 (water@L1), L1; the source set no due date, so no SLA applies.", t.Appended[1].Note);
        Assert.Equal(("Closed in boston311.", (DateTimeOffset?)null, false, false), (t.State.Disposal, t.State.DueAt, t.State.DueFromSource, t.State.Breached));
    }

    [Fact]
    public void A_case_imported_before_is_admitted_as_nothing_to_do_and_an_unknown_category_is_refused()
    {
        var s = Import(Case(null, null), T0).State;
        Assert.Null(L.AdmitImport(s, Case(T0.AddDays(1), null)));

        var e = Assert.Throws<HelplineException>(() => L.AdmitImport(new GrievanceState(), Case(null, null, category: "boston-unknown")));
        Assert.Equal((CatalogueErrorCodes.UnknownCategory, "category", "No category has id 'boston-unknown'."), (e.Code, e.Field, e.Message));
    }
}
