using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Sla;
using Helpline.Sla.Storage;
using Orleans.Serialization;
using static Helpline.Tests.Sla.SlaTestWorld;

namespace Helpline.Tests.Sla;

/// <summary>
/// The engine over an in-memory snapshot: policy resolution, calendar and holiday inheritance along the jurisdiction
/// tree, pauses and the explanation. Expected values are worked out by hand in the comments.
/// </summary>
public sealed class SlaEngineTests
{
    private static readonly PolicyOverride PensionL1TwoWorkingDays = new(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 2), 0.5m);

    [Fact]
    public void Without_an_override_the_catalogue_calendar_days_apply_per_level_with_a_75_percent_warning()
    {
        var engine = Engine(holidays: [RepublicDay]);

        // L1 7 days, L2 5, L3 3, L4 2; L5 and above use L4's.
        Assert.Equal(new SlaEffectivePolicy(Pension, 1, new SlaAllowance(SlaUnit.CalendarDays, 7), 0.75m, SlaPolicySource.CatalogueDefault), engine.GetPolicy(Pension, 1));
        Assert.Equal(5, engine.GetPolicy(Pension, 2).Allowance.Amount);
        Assert.Equal(3, engine.GetPolicy(Pension, 3).Allowance.Amount);
        Assert.Equal(new SlaEffectivePolicy(Pension, 4, new SlaAllowance(SlaUnit.CalendarDays, 2), 0.75m, SlaPolicySource.CatalogueDefault), engine.GetPolicy(Pension, 6));

        // Fri 23 Jan 16:30 + 5 days = Wed 28 Jan 16:30 (the weekend and Republic Day count); 75 % of 120 h = 90 h → Tue 27 Jan 10:30.
        var l2 = engine.Compute(Pension, 2, LucknowBlock, Ist(2026, 1, 23, 16, 30));
        Assert.Equal(Ist(2026, 1, 28, 16, 30), l2.DueAt);
        Assert.Equal(Ist(2026, 1, 27, 10, 30), l2.AtRiskAt);
        Assert.Empty(l2.Explanation.SkippedDays);
        Assert.Equal(SlaPolicySource.CatalogueDefault, l2.Explanation.PolicySource);
    }

    [Fact]
    public void An_override_replaces_the_catalogue_default_for_its_category_and_level_only()
    {
        var engine = Engine(overrides: [PensionL1TwoWorkingDays]);

        Assert.Equal(new SlaEffectivePolicy(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 2), 0.5m, SlaPolicySource.CategoryOverride), engine.GetPolicy(Pension, 1));
        Assert.Equal(SlaPolicySource.CatalogueDefault, engine.GetPolicy(Pension, 2).Source);
        Assert.Equal(SlaPolicySource.CatalogueDefault, engine.GetPolicy(Streetlight, 1).Source);
    }

    [Fact]
    public void A_district_holiday_applies_to_a_block_of_that_district()
    {
        // Fri 6 Feb 16:30, 2 working days, Mon 9 Feb a Lucknow holiday: 0.5 h Fri, Tue 7 h, Wed 10:00 + 6.5 h = Wed 11 Feb 16:30.
        // At risk at 50 % = 7 h: 0.5 h Fri, then Tue 10:00 + 6.5 h = Tue 10 Feb 16:30.
        var engine = Engine(holidays: [RepublicDay, LucknowLocalHoliday], overrides: [PensionL1TwoWorkingDays]);

        var result = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 6, 16, 30));

        Assert.Equal(Ist(2026, 2, 11, 16, 30), result.DueAt);
        Assert.Equal(Ist(2026, 2, 10, 16, 30), result.AtRiskAt);
    }

    [Fact]
    public void A_state_holiday_applies_to_every_block_below_the_state()
    {
        // Fri 23 Jan 16:30, 2 working days, Mon 26 Jan Republic Day (state): 0.5 h Fri, Tue 27 7 h, Wed 28 10:00 + 6.5 h = 16:30.
        var engine = Engine(holidays: [RepublicDay], overrides: [PensionL1TwoWorkingDays]);

        Assert.Equal(Ist(2026, 1, 28, 16, 30), engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 1, 23, 16, 30)).DueAt);
        Assert.Equal(Ist(2026, 1, 28, 16, 30), engine.Compute(Pension, 1, UnnaoBlock, Ist(2026, 1, 23, 16, 30)).DueAt);
        Assert.Equal(Ist(2026, 1, 28, 16, 30), engine.Compute(Pension, 1, State, Ist(2026, 1, 23, 16, 30)).DueAt);
    }

    [Fact]
    public void A_local_holiday_of_one_district_does_not_affect_another_district_or_another_root()
    {
        // Unnao block, same start: no holiday on Mon 9 Feb, so 0.5 h Fri, Mon 7 h, Tue 10:00 + 6.5 h = Tue 10 Feb 16:30.
        var engine = Engine(holidays: [RepublicDay, LucknowLocalHoliday], overrides: [PensionL1TwoWorkingDays]);

        Assert.Equal(Ist(2026, 2, 10, 16, 30), engine.Compute(Pension, 1, UnnaoBlock, Ist(2026, 2, 6, 16, 30)).DueAt);
        Assert.Equal(Ist(2026, 2, 10, 16, 30), engine.Compute(Pension, 1, Unnao, Ist(2026, 2, 6, 16, 30)).DueAt);

        // Boston is not below Uttar Pradesh: Republic Day is a working day there (Fri 23 Jan 16:30 → Tue 27 Jan 16:30).
        Assert.Equal(Ist(2026, 1, 27, 16, 30), engine.Compute(Pension, 1, Roxbury, Ist(2026, 1, 23, 16, 30)).DueAt);
    }

    [Fact]
    public void A_jurisdiction_uses_its_nearest_ancestors_calendar_and_otherwise_the_default()
    {
        var engine = Engine(
            calendars: [WorkingCalendar.Default, SixDayWeek],
            assignments: [new(State, WorkingCalendar.DefaultId), new(Unnao, SixDayWeek.Id)],
            overrides: [new PolicyOverride(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 1), 0.75m)]);

        // Unnao works Saturdays: Fri 6 Feb 16:30 + 1 working day = 0.5 h Fri + Sat 10:00 + 6.5 h = Sat 7 Feb 16:30.
        var unnao = engine.Compute(Pension, 1, UnnaoBlock, Ist(2026, 2, 6, 16, 30));
        Assert.Equal(Ist(2026, 2, 7, 16, 30), unnao.DueAt);
        Assert.Equal(SixDayWeek, unnao.Explanation.Calendar);
        Assert.Equal(Unnao, unnao.Explanation.CalendarAssignedAt);
        Assert.Equal(SixDayWeek, engine.CalendarFor(UnnaoBlock));

        // Lucknow inherits the state's: Mon 9 Feb 16:30.
        var lucknow = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 6, 16, 30));
        Assert.Equal(Ist(2026, 2, 9, 16, 30), lucknow.DueAt);
        Assert.Equal(State, lucknow.Explanation.CalendarAssignedAt);

        // Boston has no assignment on its path: the default calendar, reported as such.
        var boston = engine.Compute(Pension, 1, Roxbury, Ist(2026, 2, 6, 16, 30));
        Assert.Equal(Ist(2026, 2, 9, 16, 30), boston.DueAt);
        Assert.Null(boston.Explanation.CalendarAssignedAt);
        Assert.Equal(WorkingCalendar.DefaultId, boston.Explanation.Calendar.Id);
    }

    [Fact]
    public void The_explanation_says_why_it_is_due_then()
    {
        var engine = Engine(holidays: [RepublicDay, LucknowLocalHoliday], overrides: [PensionL1TwoWorkingDays]);

        var e = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 6, 16, 30)).Explanation;

        Assert.Equal((Pension, 1, 1, SlaPolicySource.CategoryOverride), (e.CategoryId, e.Level, e.PolicyLevel, e.PolicySource));
        Assert.Equal(new SlaAllowance(SlaUnit.WorkingDays, 2), e.Allowance);
        Assert.Equal(0.5m, e.WarningShare);
        Assert.Equal((LucknowBlock, WorkingCalendar.DefaultId, State), (e.JurisdictionId, e.Calendar.Id, e.CalendarAssignedAt));
        Assert.Equal((new TimeOnly(10, 0), new TimeOnly(17, 0)), (e.Calendar.Opening, e.Calendar.Closing));
        Assert.Equal("IST (UTC+05:30)", e.TimeZone);
        Assert.Equal(Ist(2026, 2, 6, 16, 30), e.Start);
        Assert.Equal(Ist(2026, 2, 6, 16, 30), e.ClockStartsAt);
        Assert.Equal(TimeSpan.FromHours(14), e.AllowedTime);
        Assert.Equal(
            [
                new SkippedDay(new DateOnly(2026, 2, 7), SkippedDayReason.WeeklyOff, "Saturday", null),
                new SkippedDay(new DateOnly(2026, 2, 8), SkippedDayReason.WeeklyOff, "Sunday", null),
                new SkippedDay(new DateOnly(2026, 2, 9), SkippedDayReason.Holiday, "Lucknow local holiday", Lucknow),
            ],
            e.SkippedDays);
        Assert.Empty(e.Pauses);
        Assert.Equal((Ist(2026, 2, 11, 16, 30), Ist(2026, 2, 10, 16, 30)), (e.DueAt, e.AtRiskAt));
        Assert.Contains("2 working days (override for L1)", e.Summary, StringComparison.Ordinal);
        Assert.Contains("Mon 09 Feb 2026 Lucknow local holiday (district:162)", e.Summary, StringComparison.Ordinal);
        Assert.Contains("Due Wed 11 Feb 2026 16:30 IST", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_explanation_reports_the_next_opening_when_registered_out_of_hours()
    {
        var engine = Engine(overrides: [PensionL1TwoWorkingDays]);

        // Sat 7 Feb 11:00: clock from Mon 9 Feb 10:00; 14 h = Mon + Tue → due Tue 10 Feb 17:00.
        var e = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 7, 11)).Explanation;

        Assert.Equal(Ist(2026, 2, 9, 10), e.ClockStartsAt);
        Assert.Equal(Ist(2026, 2, 10, 17), e.DueAt);
        Assert.Equal([new DateOnly(2026, 2, 7), new DateOnly(2026, 2, 8)], e.SkippedDays.Select(d => d.Date));
        Assert.Contains("counting from the next opening Mon 09 Feb 2026 10:00 IST", e.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Pauses_move_the_due_and_at_risk_instants_by_the_paused_working_time()
    {
        // 3 working days from Thu 5 Feb 15:00: due Tue 10 Feb 15:00; at risk 75 % of 21 h = 15.75 h:
        // Thu 2 h, Fri 7 h (9), Mon 10:00 + 6.75 h = Mon 9 Feb 16:45.
        // Pause Fri 16:00 → Mon 11:00 = 2 h working time: due Tue 17:00; at risk Mon 16:45 + 2 h = 0.25 h Mon + Tue 11:45.
        // A second pause beginning Wed 11 Feb 10:00, after the due instant, changes nothing.
        var engine = Engine(overrides: [new PolicyOverride(Pension, 1, new SlaAllowance(SlaUnit.WorkingDays, 3), 0.75m)]);
        var start = Ist(2026, 2, 5, 15);
        Assert.Equal(Ist(2026, 2, 10, 15), engine.Compute(Pension, 1, LucknowBlock, start).DueAt);
        Assert.Equal(Ist(2026, 2, 9, 16, 45), engine.Compute(Pension, 1, LucknowBlock, start).AtRiskAt);

        var late = new SlaPause(Ist(2026, 2, 11, 10), Ist(2026, 2, 12, 10));
        var weekend = new SlaPause(Ist(2026, 2, 6, 16), Ist(2026, 2, 9, 11));
        var result = engine.Compute(Pension, 1, LucknowBlock, start, [late, weekend]);

        Assert.Equal(Ist(2026, 2, 10, 17), result.DueAt);
        Assert.Equal(Ist(2026, 2, 10, 11, 45), result.AtRiskAt);
        Assert.Equal(
            [new AppliedPause(weekend.From, weekend.To, TimeSpan.FromHours(2), true), new AppliedPause(late.From, late.To, TimeSpan.Zero, false)],
            result.Explanation.Pauses);
        Assert.Equal(result.DueAt, engine.Extend(LucknowBlock, SlaUnit.WorkingDays, Ist(2026, 2, 10, 15), weekend.From, weekend.To));
        Assert.Equal(TimeSpan.FromHours(2), engine.WorkingTimeBetween(LucknowBlock, SlaUnit.WorkingDays, weekend.From, weekend.To));
        Assert.Equal(result.DueAt, engine.Add(LucknowBlock, SlaUnit.WorkingDays, Ist(2026, 2, 10, 15), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Overlapping_or_reversed_pauses_are_refused()
    {
        var engine = Engine();
        var start = Ist(2026, 2, 5, 15);

        Assert.Throws<ArgumentException>(() => engine.Compute(Pension, 1, LucknowBlock, start, [new SlaPause(Ist(2026, 2, 6, 12), Ist(2026, 2, 6, 11))]));
        Assert.Throws<ArgumentException>(() => engine.Compute(
            Pension, 1, LucknowBlock, start, [new SlaPause(Ist(2026, 2, 6, 11), Ist(2026, 2, 6, 14)), new SlaPause(Ist(2026, 2, 6, 13), Ist(2026, 2, 6, 15))]));
    }

    [Fact]
    public void Working_time_between_and_add_use_the_jurisdictions_holidays()
    {
        var engine = Engine(holidays: [LucknowLocalHoliday]);

        // Fri 6 Feb 16:00 → Tue 10 Feb 11:00: Lucknow 1 h + (Mon holiday) + 1 h = 2 h; Unnao also has Mon: 9 h.
        Assert.Equal(TimeSpan.FromHours(2), engine.WorkingTimeBetween(LucknowBlock, SlaUnit.WorkingHours, Ist(2026, 2, 6, 16), Ist(2026, 2, 10, 11)));
        Assert.Equal(TimeSpan.FromHours(9), engine.WorkingTimeBetween(UnnaoBlock, SlaUnit.WorkingHours, Ist(2026, 2, 6, 16), Ist(2026, 2, 10, 11)));
        Assert.Equal(TimeSpan.FromHours(91), engine.WorkingTimeBetween(LucknowBlock, SlaUnit.CalendarDays, Ist(2026, 2, 6, 16), Ist(2026, 2, 10, 11)));

        // Fri 16:00 + 2 working hours: Lucknow Tue 11:00, Unnao Mon 11:00.
        Assert.Equal(Ist(2026, 2, 10, 11), engine.Add(LucknowBlock, SlaUnit.WorkingHours, Ist(2026, 2, 6, 16), TimeSpan.FromHours(2)));
        Assert.Equal(Ist(2026, 2, 9, 11), engine.Add(UnnaoBlock, SlaUnit.WorkingHours, Ist(2026, 2, 6, 16), TimeSpan.FromHours(2)));

        Assert.Equal([LucknowLocalHoliday], engine.HolidaysFor(LucknowBlock, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)));
        Assert.Empty(engine.HolidaysFor(UnnaoBlock, new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28)));
    }

    [Fact]
    public void Unknown_categories_jurisdictions_and_levels_below_one_are_refused()
    {
        var engine = Engine();

        Assert.Equal(CatalogueErrorCodes.UnknownCategory, Assert.Throws<HelplineException>(() => engine.Compute("no-such", 1, LucknowBlock, Ist(2026, 2, 2, 11))).Code);
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, Assert.Throws<HelplineException>(() => engine.Compute(Pension, 1, "district:999", Ist(2026, 2, 2, 11))).Code);
        Assert.Equal(JurisdictionErrorCodes.UnknownJurisdiction, Assert.Throws<HelplineException>(() => engine.CalendarFor("nowhere")).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.Compute(Pension, 0, LucknowBlock, Ist(2026, 2, 2, 11)));
    }

    [Fact]
    public void Before_anything_is_loaded_the_engine_uses_the_built_in_default_calendar_and_no_holidays()
    {
        var store = new SlaStore(Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused"));
        var engine = new Helpline.Sla.Engine.SlaEngine(store, Categories, Tree);

        Assert.Equal(WorkingCalendar.Default, engine.CalendarFor(LucknowBlock));
        Assert.Equal(TimeSpan.FromHours(7), engine.WorkingTimeBetween(LucknowBlock, SlaUnit.WorkingDays, Ist(2026, 1, 26, 0), Ist(2026, 1, 27, 0)));
    }

    [Fact]
    public void A_computation_survives_the_Orleans_serializer()
    {
        using var provider = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        var engine = Engine(holidays: [LucknowLocalHoliday], overrides: [PensionL1TwoWorkingDays]);
        var original = engine.Compute(Pension, 1, LucknowBlock, Ist(2026, 2, 6, 16, 30), [new SlaPause(Ist(2026, 2, 10, 11), Ist(2026, 2, 10, 12))]);

        var copy = serializer.Deserialize<SlaComputation>(serializer.SerializeToArray(original));

        Assert.NotNull(copy);
        Assert.Equal(original.DueAt, copy.DueAt);
        Assert.Equal(original.AtRiskAt, copy.AtRiskAt);
        Assert.Equal(original.Explanation.Summary, copy.Explanation.Summary);
        Assert.Equal(original.Explanation.SkippedDays, copy.Explanation.SkippedDays);
        Assert.Equal(original.Explanation.Pauses, copy.Explanation.Pauses);
        Assert.Equal(original.Explanation.Calendar.WorkingDays, copy.Explanation.Calendar.WorkingDays);
        Assert.Equal(original.Explanation.Calendar.Opening, copy.Explanation.Calendar.Opening);
        Assert.Equal(original.Explanation.Allowance, copy.Explanation.Allowance);
        Assert.Equal(original.Explanation.WarningShare, copy.Explanation.WarningShare);
    }
}
