using System.Globalization;
using System.Text;
using Helpline.Platform.Access;

namespace Helpline.Access.Tokens;

/// <summary>What a Helpline token says (and what <c>./helpline token mint</c> puts in one).</summary>
/// <param name="Subject">The <c>sub</c>: an officer id for officers and supervisors, the agent's or system's id otherwise.</param>
/// <param name="Role">The <c>role</c>.</param>
/// <param name="Departments">The <c>departments</c> the token is limited to; null for none.</param>
/// <param name="Jurisdictions">The <c>jurisdictions</c> the token is limited to (each with everything below it); null for none.</param>
/// <param name="Depth">A supervisor's reach below their own seat (<c>depth</c>), 1..3; null for the service's default.</param>
/// <param name="TokenId">The <c>jti</c>.</param>
/// <param name="IssuedAt">The <c>iat</c>.</param>
/// <param name="ExpiresAt">The <c>exp</c>.</param>
/// <param name="NotBefore">The <c>nbf</c>, if any.</param>
public sealed record TokenClaims(
    string Subject,
    Role Role,
    IReadOnlyList<string>? Departments,
    IReadOnlyList<string>? Jurisdictions,
    int? Depth,
    string TokenId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? NotBefore = null);

/// <summary>
/// What a subject may be: it is stored as an id wherever the subject acts (an agent's lease, an attempt, a timeline
/// actor), so a token naming one that no column could hold is refused as a whole rather than failing deep inside.
/// </summary>
internal static class TokenSubjects
{
    /// <summary>The longest subject.</summary>
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="subject"/> cannot be a subject, or null when it can.</summary>
    public static string? Problem(string subject) =>
        subject.Length > MaxLength ? $"at most {MaxLength} characters, not {subject.Length}"
        : subject.EnumerateRunes().Any(Hidden) ? "no control, invisible formatting or unassigned characters"
        : null;

    // Characters that do not show, or show something else (a zero-width space, a right-to-left override, a line
    // separator): two subjects that read the same in a timeline or an audit must be the same subject.
    private static bool Hidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate;
}
