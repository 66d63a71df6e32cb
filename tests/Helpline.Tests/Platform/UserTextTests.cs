using Helpline.Grievances;
using Helpline.Grievances.Domain;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;
using Helpline.Sla;
using Helpline.Sla.Files;

namespace Helpline.Tests.Platform;

/// <summary>
/// Issue 8, defect 6: names that are not names. One rule (the platform's <see cref="UserText"/>) for complainant
/// names, descriptions, holiday and calendar names.
/// </summary>
public sealed class UserTextTests
{
    [Theory]
    [InlineData("\u200b\u200c\u200d\u2060", "no visible characters")] // zero-width only
    [InlineData("\u3164\u115f", "no visible characters")] // Hangul fillers
    [InlineData("\u0301\u0302", "no visible characters")] // combining marks with nothing to combine with
    [InlineData("Asha\u202eKumar", "U+202E")] // right-to-left override
    [InlineData("Asha\u2066Kumar\u2069", "U+2066")] // isolate
    [InlineData("Asha\u0085Kumar", "U+0085")] // C1 next line
    [InlineData("Asha\u009bKumar", "U+009B")] // C1 control sequence introducer
    [InlineData("Asha\u0000Kumar", "U+0000")]
    [InlineData("Asha\u007fKumar", "U+007F")]
    public void Invisible_only_control_and_bidi_override_text_is_refused_at_its_field(string value, string reason)
    {
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.RequireText(value, 100, "input.complainant.name"));
        Assert.Equal((ErrorCodes.Invalid, "input.complainant.name"), (e.Code, e.Field));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_normalised_to_NFC()
    {
        Assert.Equal("\u00e9", UserText.Require("e\u0301", 100, "f"));
        Assert.Equal("Am\u00e9lie", GrievanceRules.RequireText("Ame\u0301lie", 100, "f"));

        // Devanagari: NA + nukta composes to NNNA (U+0929); QA (U+0958) is excluded from composition, so NFC spells it
        // KA + nukta; a syllable with vowel sign and virama is already NFC and stays as typed.
        Assert.Equal("\u0929", UserText.Require("\u0928\u093c", 100, "f"));
        Assert.Equal("\u0915\u093c", UserText.Require("\u0958", 100, "f"));
        Assert.Equal("क्षि", UserText.Require("क्षि", 100, "f"));

        // Lengths are counted after normalisation, in user-perceived characters: 100 decomposed é fit 100.
        var decomposed = string.Concat(Enumerable.Repeat("e\u0301", 100));
        Assert.Equal(new string('\u00e9', 100), UserText.Require(decomposed, 100, "f"));
        Assert.Equal(ErrorCodes.TooLong, Assert.Throws<HelplineException>(() => UserText.Require(decomposed + "e\u0301", 100, "f")).Code);
    }

    [Fact]
    public void The_host_runs_with_ICU_so_that_normalisation_is_not_a_no_op()
    {
        // In invariant globalization mode string.Normalize returns non-ASCII text unchanged.
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Helpline.Host.runtimeconfig.json")))!;
        Assert.NotEqual(true, config["runtimeOptions"]?["configProperties"]?["System.Globalization.Invariant"]?.GetValue<bool>());
        Assert.NotEqual("e\u0301", "e\u0301".Normalize());
        Assert.Equal(System.Globalization.CultureInfo.InvariantCulture, System.Globalization.CultureInfo.CurrentCulture);
    }

    [Fact]
    public void Lengths_are_user_perceived_characters_and_Devanagari_with_combining_marks_keeps_working()
    {
        var emoji = string.Concat(Enumerable.Repeat("👍🏽", 60)); // 240 UTF-16 code units, 60 characters
        Assert.Equal(emoji, GrievanceRules.RequireText(emoji, 100, "f"));
        Assert.Equal(ErrorCodes.TooLong, Assert.Throws<HelplineException>(() => GrievanceRules.RequireText(emoji + "👍🏽", 60, "f")).Code);

        const string name = "श्री क्षितिज कुमार त्रिपाठी";
        Assert.Equal(name, GrievanceRules.RequireText(" " + name + " ", 100, "f"));
        var syllables = string.Concat(Enumerable.Repeat("कि", 100)); // consonant and vowel sign: 2 code units, one text element
        Assert.Equal(syllables, GrievanceRules.RequireText(syllables, 100, "f"));
        Assert.Equal(ErrorCodes.TooLong, Assert.Throws<HelplineException>(() => GrievanceRules.RequireText(syllables + "क", 100, "f")).Code);

        // The longest real characters fit; one letter carrying a pile of marks or joiners is refused, whatever the limit.
        const string family = "👩🏽‍❤️‍💋‍👨🏾"; // one character of 15 code units
        Assert.Equal(family, GrievanceRules.RequireText(family, 1, "f"));
        Assert.Equal("क्ष्म्य", GrievanceRules.RequireText("क्ष्म्य", 100, "f"));
        var piled = Assert.Throws<HelplineException>(() => GrievanceRules.RequireText("Asha a" + string.Concat(Enumerable.Repeat("\u0301", 50_000)), 100, "input.complainant.name"));
        Assert.Equal((ErrorCodes.Invalid, "input.complainant.name"), (piled.Code, piled.Field));
        Assert.Contains("at character 6", piled.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.Invalid, Assert.Throws<HelplineException>(() => UserText.Require("x" + new string('\u0301', 32), 100, "f")).Code); // x with an acute has no composed form
        Assert.Equal("x" + new string('\u0301', 31), UserText.Require("x" + new string('\u0301', 31), 100, "f"));

        // Marks of two kinds alternate so that normalising would have to sort them: refused before that (a lone
        // surrogate after them would otherwise be what the answer names), and at once however many there are.
        var sortedLate = Assert.Throws<HelplineException>(() => UserText.Require("q" + string.Concat(Enumerable.Repeat("\u0301\u0316", 40)) + "\ud800", 100, "f"));
        Assert.Contains("more than 32 code units", sortedLate.Message, StringComparison.Ordinal);
        var many = Assert.Throws<HelplineException>(() => UserText.Require("q" + string.Concat(Enumerable.Repeat("\u0301\u0316", 240_000)), 100, "f"));
        Assert.Contains("more than 32 code units", many.Message, StringComparison.Ordinal);

        // Free text keeps its line breaks; names do not take them.
        Assert.Equal("line one\nline two", UserText.Require("line one\nline two", 100, "f"));
        Assert.Equal(ErrorCodes.Invalid, Assert.Throws<HelplineException>(() => UserText.Require("line one\nline two", 100, "f", singleLine: true)).Code);
    }

    [Fact]
    public void Registration_refuses_a_zero_width_complainant_name_and_a_bidi_override_in_the_description()
    {
        RegisterGrievance Request(string name, string description) => new(
            "req-1", GrievanceKind.Complaint, new Complainant(name, "9415012345"), "district:162", "cat", description, Channel.Phone, "agent-1");
        var e = Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(Request("\u200b\u200b", "Pothole")));
        Assert.Equal((ErrorCodes.Invalid, "input.complainant.name"), (e.Code, e.Field));
        e = Assert.Throws<HelplineException>(() => GrievanceRules.Normalize(Request("Asha", "Pothole \u202e")));
        Assert.Equal((ErrorCodes.Invalid, "input.description"), (e.Code, e.Field));
        Assert.Equal("अनुराग कुमार", GrievanceRules.Normalize(Request("अनुराग कुमार", "सड़क टूटी है")).Complainant.Name);
    }

    [Fact]
    public void Holiday_and_calendar_names_follow_the_same_rule()
    {
        var date = new DateOnly(2026, 12, 25);
        var result = HolidayFiles.Validate(
            [new Holiday(date, "\u200b", "state:9"), new Holiday(date.AddDays(1), "Christmas\u202e", "state:9"), new Holiday(date.AddDays(2), "क्रिसमस", "state:9")],
            null);
        Assert.Equal([1, 2], result.Errors.Select(x => x.Row));
        Assert.Equal(["क्रिसमस"], result.Holidays.Select(h => h.Name));

        Assert.StartsWith("calendar name", (WorkingCalendar.Default with { Name = "Late\u0085shift" }).Problem(), StringComparison.Ordinal);
        Assert.Null(WorkingCalendar.Default.Problem());
    }

    // A value quoted in an error shows what was read: never of any length whole, and never an invisible character as
    // nothing.
    [Theory]
    [InlineData("9415O12345", "'9415O12345'")]
    [InlineData("+91 94150", "'+91 94150'")]
    [InlineData("\u200b", "'\\u200B'")]
    [InlineData("94150\u00a012345\t", "'94150\\u00A012345\\u0009'")]
    [InlineData("1234567890123456789012345", "'123456789012345678901234…' (25 characters)")]
    [InlineData("आगरा", "'आगरा'")]
    public void A_value_quoted_in_an_error_is_short_and_shows_what_was_read(string value, string quoted) =>
        Assert.Equal(quoted, UserText.Quote(value));
}
