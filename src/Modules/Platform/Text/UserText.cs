using System.Globalization;
using System.Text;
using Helpline.Platform.Errors;

namespace Helpline.Platform.Text;

/// <summary>What <see cref="UserText.Check"/> made of a text: the text to store, or why it is refused.</summary>
/// <param name="Text">The text trimmed and in Unicode NFC; meaningful only when <paramref name="Code"/> is null.</param>
/// <param name="Code">Null when the text is acceptable; otherwise REQUIRED, TOO_LONG or INVALID_VALUE.</param>
/// <param name="Problem">Why it is refused, a phrase such as "contains a bidirectional override (U+202E) at character 3".</param>
public sealed record UserTextCheck(string Text, string? Code, string? Problem);

/// <summary>
/// The one rule for text people type (names, descriptions, holiday and calendar names), used by every module:
/// <list type="bullet">
/// <item>trimmed and normalised to Unicode NFC (composed), so the same name typed two ways is stored once;</item>
/// <item>refused when it is empty or made only of invisible characters (spaces, zero-width characters, format
/// characters, combining marks with nothing to combine with);</item>
/// <item>refused when it holds a control character (C0 other than line break and tab in free text, DEL, C1) or a
/// bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069), which would make the text display as
/// something other than what it is;</item>
/// <item>its length counted in user-perceived characters (text elements): an emoji with a skin tone, or a Devanagari
/// syllable with its vowel sign and virama, counts once; one such character of more than 32 UTF-16 code units (marks
/// or joiners piled on one letter) is refused.</item>
/// </list>
/// </summary>
/// <remarks>
/// NFC needs ICU: with <c>InvariantGlobalization</c> on, .NET leaves non-ASCII text as it was given, so the host (and
/// the tests) run with it off, in the invariant culture.
/// </remarks>
public static class UserText
{
    // Lengths count user-perceived characters, so without a bound on each one a single letter carrying 50,000 combining
    // marks passed a 100-character limit (found by hand). The longest real ones, an emoji family with skin tones or a
    // Devanagari conjunct with its vowel sign, are under 20 UTF-16 code units; Unicode's stream-safe format allows at
    // most 30 marks in a row.
    private const int MaxCodeUnitsPerCharacter = 32;

    /// <summary>Checks <paramref name="value"/> by the rule above.</summary>
    /// <param name="value">The text as given.</param>
    /// <param name="maxCharacters">The most user-perceived characters allowed.</param>
    /// <param name="singleLine">True for names: line breaks and tabs are refused too.</param>
    /// <returns>The normalised text, or the code and reason of the refusal.</returns>
    public static UserTextCheck Check(string? value, int maxCharacters, bool singleLine)
    {
        var text = value ?? "";

        // Before normalising as well as after: NFC puts a run of marks of different kinds in order at a cost that grows
        // with the square of its length (480,000 alternating marks, a body under 1 MiB, took 57 s to refuse).
        if (Characters(text, out _) is { } piled)
        {
            return Overlong(text, piled);
        }

        try
        {
            text = text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return new UserTextCheck(text, ErrorCodes.Invalid, "is not valid Unicode text");
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            return new UserTextCheck(text, ErrorCodes.Required, "is required and may not be blank");
        }

        var position = 0;
        var visible = false;
        foreach (var rune in text.EnumerateRunes())
        {
            position++;
            var v = rune.Value;
            if (rune == Rune.ReplacementChar && !text.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return new UserTextCheck(text, ErrorCodes.Invalid, "is not valid Unicode text (a lone surrogate)");
            }

            if (v is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
            {
                return new UserTextCheck(text, ErrorCodes.Invalid, $"contains a bidirectional override or isolate (U+{v:X4}) at character {position}");
            }

            var allowedControl = !singleLine && v is 0x0A or 0x0D or 0x09;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control && !allowedControl)
            {
                return new UserTextCheck(text, ErrorCodes.Invalid, $"contains a control character (U+{v:X4}) at character {position}");
            }

            visible |= IsVisible(rune);
        }

        if (!visible)
        {
            return new UserTextCheck(text, ErrorCodes.Invalid, "has no visible characters (only spaces, zero-width or format characters)");
        }

        if (Characters(text, out var length) is { } overlong)
        {
            return Overlong(text, overlong);
        }

        return length > maxCharacters
            ? new UserTextCheck(text, ErrorCodes.TooLong, $"has {length} characters; the limit is {maxCharacters}")
            : new UserTextCheck(text, null, null);
    }

    // Counts the user-perceived characters; the 1-based position of the first one over the bound, else null.
    private static int? Characters(string text, out int count)
    {
        count = 0;
        for (var rest = text.AsSpan(); !rest.IsEmpty; count++)
        {
            var element = StringInfo.GetNextTextElementLength(rest);
            if (element > MaxCodeUnitsPerCharacter)
            {
                return count + 1;
            }

            rest = rest[element..];
        }

        return null;
    }

    private static UserTextCheck Overlong(string text, int position) =>
        new(text, ErrorCodes.Invalid, $"has a character made of more than {MaxCodeUnitsPerCharacter} code units (marks or joiners piled on one letter) at character {position}");

    /// <summary>The text by the rule above, or a <see cref="HelplineException"/> at <paramref name="field"/>.</summary>
    /// <param name="value">The text as given.</param>
    /// <param name="maxCharacters">The most user-perceived characters allowed.</param>
    /// <param name="field">The input field, named in the error.</param>
    /// <param name="singleLine">True for names: line breaks and tabs are refused too.</param>
    /// <returns>The trimmed NFC text.</returns>
    /// <exception cref="HelplineException">REQUIRED, TOO_LONG or INVALID_VALUE at <paramref name="field"/>.</exception>
    public static string Require(string? value, int maxCharacters, string field, bool singleLine = false)
    {
        var check = Check(value, maxCharacters, singleLine);
        return check.Code is null ? check.Text : throw new HelplineException(check.Code, $"'{field}' {check.Problem}.", field);
    }

    /// <summary>
    /// A value a caller sent, quoted for an error message: at most <paramref name="shown"/> characters (then the
    /// length), and every blank, format or control character but the space written as its code point, so a reader
    /// sees what was read. A value of any length would otherwise come back whole (100,000 digits made a 100 KB answer), and a
    /// zero-width space would read as ''.
    /// </summary>
    public static string Quote(string value, int shown = 24)
    {
        var text = new StringBuilder("'");
        foreach (var rune in (value.Length > shown ? value[..shown] : value).EnumerateRunes())
        {
            // Combining marks stay: after their base letter (a Devanagari vowel sign) they show.
            var blank = rune.Value != ' ' && (Rune.IsWhiteSpace(rune) || IsBlankGlyph(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control);
            text.Append(blank ? $"\\u{rune.Value:X4}" : rune.ToString());
        }

        return text.Append(value.Length > shown ? string.Create(CultureInfo.InvariantCulture, $"…' ({value.Length:N0} characters)") : "'").ToString();
    }

    // Hangul fillers and the Braille blank show nothing though their categories say letter or symbol.
    private static bool IsBlankGlyph(Rune rune) => rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    private static bool IsVisible(Rune rune) =>
        !Rune.IsWhiteSpace(rune)
        && !IsBlankGlyph(rune)
        && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse);
}
