using Helpline.Catalogue;
using Helpline.Grievances;
using Helpline.Grievances.Domain;
using Helpline.Platform.Errors;

namespace Helpline.Tests.Grievances.Domain;

/// <summary>Input rules for grievance commands: Indian mobile numbers, text, identifiers, field paths, due dates.</summary>
public sealed class GrievanceRulesTests
{
    private const string Field = "input.complainant.mobile";

    private static RegisterGrievance Valid() => new(
        ClientRequestId: "agent007-2026-11-29-0001",
        Kind: GrievanceKind.Complaint,
        Complainant: new Complainant("Sita Devi", "+91 94150 12345"),
        JurisdictionId: "block:1330",
        CategoryId: "rd-pmayg-not-sanctioned",
        Description: "House sanctioned under PMAY-G but first instalment not received for four months",
        Channel: Channel.Phone,
        AgentId: "agent-007");

    [Theory]
    [InlineData("9415012345")]
    [InlineData("+919415012345")]
    [InlineData("+91 94150 12345")]
    [InlineData("+91-94150-12345")]
    [InlineData("09415012345")]
    [InlineData("0 94150 12345")]
    [InlineData("094150-12345")]
    [InlineData("94150 12345")]
    [InlineData("9415-012-345")]
    [InlineData("  +91 94150 12345  ")]
    public void Indian_mobile_numbers_are_normalised_to_ten_digits(string input) =>
        Assert.Equal("9415012345", GrievanceRules.NormalizeMobile(input, Field));

    [Theory]
    [InlineData("6000000000")]
    [InlineData("7000000000")]
    [InlineData("8999999999")]
    [InlineData("9999999999")]
    public void Ten_digit_numbers_starting_6_to_9_are_mobiles(string input) =>
        Assert.Equal(input, GrievanceRules.NormalizeMobile(input, Field));

    [Fact]
    public void A_ten_digit_number_that_begins_with_91_keeps_its_91()
    {
        Assert.Equal("9191919191", GrievanceRules.NormalizeMobile("9191919191", Field));
        Assert.Equal("9191919191", GrievanceRules.NormalizeMobile("+91 91919 19191", Field));
        Assert.Equal("9100000000", GrievanceRules.NormalizeMobile("09100000000", Field));
    }

    [Theory]
    [InlineData("12345")] // five digits
    [InlineData("941501234")] // nine digits
    [InlineData("5415012345")] // starts with 5
    [InlineData("1415012345")] // starts with 1
    [InlineData("2415012345")]
    [InlineData("3415012345")]
    [InlineData("4415012345")]
    [InlineData("0415012345")] // ten digits starting with 0
    [InlineData("94150123456")] // eleven digits without a leading 0
    [InlineData("+91 54150 12345")] // +91 then a number starting with 5
    [InlineData("+92 94150 12345")] // not India's country code
    [InlineData("+1 555 123 4567")]
    [InlineData("0091 94150 12345")]
    [InlineData("+0 9415012345")] // issue 8, defect 7: these were rewritten to 9415012345
    [InlineData("+9415012345")]
    [InlineData("919415012345")]
    [InlineData("91 9415012345")]
    [InlineData("(+91) 94150 12345")]
    [InlineData("+91 0 94150 12345")]
    [InlineData("00 94150 12345")]
    [InlineData("9415O12345")] // letter O
    [InlineData("94150abcde")]
    [InlineData("mobile 9415012345")]
    [InlineData("++919415012345")] // two '+'
    [InlineData("+91+9415012345")]
    [InlineData("9415.012.345")]
    [InlineData("9415/012345")]
    [InlineData("९४१५०१२३४५")] // Devanagari digits
    public void Other_numbers_are_refused_as_invalid_mobiles(string input)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.NormalizeMobile(input, Field));
        Assert.Equal(GrievanceErrorCodes.InvalidMobile, e.Code);
        Assert.Equal(Field, e.Field);
        Assert.Contains(input, e.Message, StringComparison.Ordinal);
    }

    // Quoted by the platform's rule (UserTextTests): never whole.
    [Fact]
    public void A_mobile_of_100000_digits_is_refused_in_a_short_message()
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.NormalizeMobile(new string('9', 100_000), Field));
        Assert.Equal(GrievanceErrorCodes.InvalidMobile, e.Code);
        Assert.InRange(e.Message.Length, 1, 200);
        Assert.Contains("(100,000 characters)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_mobile_is_required(string? input)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.NormalizeMobile(input, "x.mobile"));
        Assert.Equal((ErrorCodes.Required, "x.mobile"), (e.Code, e.Field));
    }

    [Fact]
    public void Text_is_trimmed_and_limited_after_trimming()
    {
        Assert.Equal("Hand pump broken", GrievanceRules.RequireText("  Hand pump broken \t\r\n", 100, "f"));
        Assert.Equal("हैंडपंप खराब है", GrievanceRules.RequireText(" हैंडपंप खराब है ", 100, "f"));

        var exactly = new string('x', GrievanceRules.MaxTextLength);
        Assert.Equal(exactly, GrievanceRules.RequireText(exactly, GrievanceRules.MaxTextLength, "f"));
        Assert.Equal(exactly, GrievanceRules.RequireText("   " + exactly + "   ", GrievanceRules.MaxTextLength, "f"));

        var e = Assert.Throws<HelplineException>(() => GrievanceRules.RequireText(exactly + "y", GrievanceRules.MaxTextLength, "input.description"));
        Assert.Equal((ErrorCodes.TooLong, "input.description"), (e.Code, e.Field));
        Assert.Contains("4001", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00a0\u2003")] // no-break space, em space
    public void Blank_text_is_required(string? value)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.RequireText(value, 10, "input.complainant.name"));
        Assert.Equal((ErrorCodes.Required, "input.complainant.name"), (e.Code, e.Field));
    }

    [Theory]
    [InlineData("agent-007", "agent-007")]
    [InlineData("  block:1330 ", "block:1330")]
    [InlineData("OFF-010996", "OFF-010996")]
    [InlineData("a.b_c:d-E9", "a.b_c:d-E9")]
    public void Ids_of_letters_digits_and_dot_underscore_colon_hyphen_are_accepted_trimmed(string value, string expected) =>
        Assert.Equal(expected, GrievanceRules.RequireId(value, "f"));

    [Theory]
    [InlineData("has spaces")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a@b")]
    [InlineData("a+b")]
    [InlineData("a,b")]
    [InlineData("a;b")]
    [InlineData("a'b")]
    [InlineData("a\"b")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("ब्लॉक")] // letters, but not ASCII
    [InlineData("café")]
    [InlineData("x%20y")]
    public void Ids_with_other_characters_are_invalid(string value)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.RequireId(value, "input.clientRequestId"));
        Assert.Equal((ErrorCodes.Invalid, "input.clientRequestId"), (e.Code, e.Field));
    }

    [Fact]
    public void Ids_are_required_and_at_most_100_characters()
    {
        Assert.Equal(100, GrievanceRules.RequireId(new string('a', 100), "f").Length);
        var tooLong = Assert.Throws<HelplineException>(() => GrievanceRules.RequireId(new string('a', 101), "input.agentId"));
        Assert.Equal((ErrorCodes.TooLong, "input.agentId"), (tooLong.Code, tooLong.Field));
        var blank = Assert.Throws<HelplineException>(() => GrievanceRules.RequireId("  ", "input.agentId"));
        Assert.Equal((ErrorCodes.Required, "input.agentId"), (blank.Code, blank.Field));
        var missing = Assert.Throws<HelplineException>(() => GrievanceRules.RequireId(null, "input.agentId"));
        Assert.Equal((ErrorCodes.Required, "input.agentId"), (missing.Code, missing.Field));
    }

    [Fact]
    public void Normalize_trims_and_normalises_every_field_and_keeps_the_rest()
    {
        var raw = Valid() with
        {
            ClientRequestId = " agent007-2026-11-29-0001 ",
            Complainant = new Complainant("  Sita Devi ", "0 94150-12345"),
            JurisdictionId = " block:1330",
            CategoryId = "rd-pmayg-not-sanctioned ",
            Description = "\n  House sanctioned, no instalment.  ",
            AgentId = "agent-007 ",
            Kind = GrievanceKind.Information,
            Channel = Channel.WalkIn,
        };

        var n = GrievanceRules.Normalize(raw);

        Assert.Equal(
            new RegisterGrievance(
                "agent007-2026-11-29-0001",
                GrievanceKind.Information,
                new Complainant("Sita Devi", "9415012345"),
                "block:1330",
                "rd-pmayg-not-sanctioned",
                "House sanctioned, no instalment.",
                Channel.WalkIn,
                "agent-007"),
            n);
        Assert.Equal(n, GrievanceRules.Normalize(n)); // idempotent: a retry of a normalised request is the same request
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "clientRequestId", ErrorCodes.Invalid, "input.clientRequestId" },
        { "kind", ErrorCodes.Invalid, "input.kind" },
        { "channel", ErrorCodes.Invalid, "input.channel" },
        { "complainant", ErrorCodes.Required, "input.complainant" },
        { "name", ErrorCodes.Required, "input.complainant.name" },
        { "longName", ErrorCodes.TooLong, "input.complainant.name" },
        { "mobile", GrievanceErrorCodes.InvalidMobile, "input.complainant.mobile" },
        { "jurisdictionId", ErrorCodes.Invalid, "input.jurisdictionId" },
        { "categoryId", ErrorCodes.Required, "input.categoryId" },
        { "description", ErrorCodes.TooLong, "input.description" },
        { "agentId", ErrorCodes.TooLong, "input.agentId" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Normalize_names_the_field_at_fault(string fault, string code, string field)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(Break(Valid(), fault)));
        Assert.Equal((code, field), (e.Code, e.Field));

        var prefixed = Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(Break(Valid(), fault), "batch.items[3]"));
        Assert.Equal((code, "batch.items[3]" + field["input".Length..]), (prefixed.Code, prefixed.Field));
    }

    [Fact]
    public void Normalize_reports_the_first_fault_in_field_order()
    {
        var everythingWrong = new RegisterGrievance("bad id", (GrievanceKind)42, null!, "", "", "", (Channel)42, "");
        Assert.Equal("input.clientRequestId", Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(everythingWrong)).Field);

        var mobileAndDescription = Valid() with { Complainant = new Complainant("Sita", "12345"), Description = "" };
        Assert.Equal("input.complainant.mobile", Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(mobileAndDescription)).Field);
    }

    [Fact]
    public void The_due_date_adds_the_levels_calendar_days()
    {
        var sla = new SlaPolicy([7, 5, 3, 2]);
        var from = new DateTimeOffset(2026, 11, 2, 4, 30, 15, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 9, 4, 30, 15, TimeSpan.Zero), GrievanceRules.DueAt(sla, 1, from));
        Assert.Equal(from.AddDays(5), GrievanceRules.DueAt(sla, 2, from));
        Assert.Equal(from.AddDays(3), GrievanceRules.DueAt(sla, 3, from));
        Assert.Equal(from.AddDays(2), GrievanceRules.DueAt(sla, 4, from));
        Assert.Equal(from.AddDays(2), GrievanceRules.DueAt(sla, 5, from)); // above L4: L4's allowance
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 4, 30, 15, TimeSpan.Zero), GrievanceRules.DueAt(new SlaPolicy([30, 1, 1, 1]), 1, new DateTimeOffset(2026, 12, 2, 4, 30, 15, TimeSpan.Zero)));
    }

    private static RegisterGrievance Break(RegisterGrievance r, string fault) => fault switch
    {
        "clientRequestId" => r with { ClientRequestId = "agent 007/1" },
        "kind" => r with { Kind = (GrievanceKind)99 },
        "channel" => r with { Channel = (Channel)(-1) },
        "complainant" => r with { Complainant = null! },
        "name" => r with { Complainant = r.Complainant with { Name = "   " } },
        "longName" => r with { Complainant = r.Complainant with { Name = new string('n', GrievanceRules.MaxNameLength + 1) } },
        "mobile" => r with { Complainant = r.Complainant with { Mobile = "+91 54150 12345" } },
        "jurisdictionId" => r with { JurisdictionId = "block 1330" },
        "categoryId" => r with { CategoryId = null! },
        "description" => r with { Description = new string('d', GrievanceRules.MaxTextLength + 1) },
        "agentId" => r with { AgentId = new string('a', GrievanceRules.MaxIdLength + 1) },
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };
}
