using System.Buffers;
using Helpline.Catalogue;
using Helpline.Platform.Errors;
using Helpline.Platform.Text;

namespace Helpline.Grievances.Domain;

/// <summary>Input rules for grievance commands: lengths, formats, the Indian mobile number. Pure; throws on the first fault.</summary>
internal static partial class GrievanceRules
{
    public const int MaxNameLength = 100;
    public const int MaxTextLength = 4000;
    public const int MaxIdLength = 100;

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Validates and normalises a registration request (mobile to 10 digits, text trimmed).</summary>
    /// <exception cref="HelplineException">The first rule broken, naming the input field.</exception>
    public static RegisterGrievance Normalize(RegisterGrievance r, string fieldPrefix = "input")
    {
        var clientRequestId = RequireId(r.ClientRequestId, $"{fieldPrefix}.clientRequestId");
        if (!Enum.IsDefined(r.Kind))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Unknown grievance kind '{r.Kind}'.", $"{fieldPrefix}.kind");
        }

        if (!Enum.IsDefined(r.Channel))
        {
            throw new HelplineException(ErrorCodes.Invalid, $"Unknown channel '{r.Channel}'.", $"{fieldPrefix}.channel");
        }

        if (r.Complainant is null)
        {
            throw new HelplineException(ErrorCodes.Required, "The complainant is required.", $"{fieldPrefix}.complainant");
        }

        var name = RequireText(r.Complainant.Name, MaxNameLength, $"{fieldPrefix}.complainant.name");
        if (name.AsSpan().IndexOfAny('\n', '\r', '\t') >= 0)
        {
            throw new HelplineException(ErrorCodes.Invalid, "A name is one line: no line breaks or tabs.", $"{fieldPrefix}.complainant.name");
        }
        var mobile = NormalizeMobile(r.Complainant.Mobile, $"{fieldPrefix}.complainant.mobile");
        return r with
        {
            ClientRequestId = clientRequestId,
            Complainant = new Complainant(name, mobile),
            JurisdictionId = RequireId(r.JurisdictionId, $"{fieldPrefix}.jurisdictionId"),
            CategoryId = RequireId(r.CategoryId, $"{fieldPrefix}.categoryId"),
            Description = RequireText(r.Description, MaxTextLength, $"{fieldPrefix}.description"),
            AgentId = RequireId(r.AgentId, $"{fieldPrefix}.agentId"),
        };
    }

    /// <summary>
    /// An Indian mobile number as <see cref="IndianMobile"/> reads it. Returns the ten digits.
    /// </summary>
    /// <exception cref="HelplineException">INVALID_MOBILE or REQUIRED.</exception>
    public static string NormalizeMobile(string? input, string field)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new HelplineException(ErrorCodes.Required, "A mobile number is required.", field);
        }

        return IndianMobile.Normalize(input) ?? throw new HelplineException(
            GrievanceErrorCodes.InvalidMobile,
            $"{UserText.Quote(input)} is not an Indian mobile number: expected 10 digits starting with 6, 7, 8 or 9, optionally preceded by +91 or 0.",
            field);
    }

    /// <summary>A Helpline reference number as <see cref="ReferenceNumber.Normalize"/> reads it (spaces and dashes allowed).</summary>
    /// <exception cref="HelplineException">INVALID_REFERENCE_NUMBER, quoting at most the start of what was sent.</exception>
    public static string NormalizeReference(string referenceNumber, string field) =>
        ReferenceNumber.Normalize(referenceNumber) ?? throw new HelplineException(
            GrievanceErrorCodes.InvalidReference,
            $"{UserText.Quote(referenceNumber)} is not a Helpline reference number: expected 12 digits with a valid check digit.",
            field);

    /// <summary>Text people type, by the platform's one rule (<see cref="UserText"/>): trimmed, NFC, no control or
    /// bidirectional override characters, something visible, at most <paramref name="max"/> user-perceived characters.</summary>
    /// <exception cref="HelplineException">REQUIRED, TOO_LONG or INVALID_VALUE.</exception>
    public static string RequireText(string? value, int max, string field) => UserText.Require(value, max, field);

    /// <summary>An identifier: 1..100 characters of letters, digits and <c>. _ : -</c>.</summary>
    /// <exception cref="HelplineException">REQUIRED, TOO_LONG or INVALID_VALUE.</exception>
    public static string RequireId(string? value, string field)
    {
        var t = value?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            throw new HelplineException(ErrorCodes.Required, $"'{field}' is required.", field);
        }

        if (t.Length > MaxIdLength)
        {
            throw new HelplineException(ErrorCodes.TooLong, $"'{field}' has {t.Length} characters; the limit is {MaxIdLength}.", field);
        }

        if (t.AsSpan().IndexOfAnyExcept(IdChars) >= 0)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'{field}' may contain only letters, digits and . _ : -", field);
        }

        return t;
    }

    /// <summary>
    /// The due date for a grievance reaching <paramref name="level"/> at <paramref name="from"/>: the category's
    /// allowance for that level in calendar days (24-hour periods).
    /// </summary>
    public static DateTimeOffset DueAt(SlaPolicy policy, int level, DateTimeOffset from) => from.AddDays(policy.DaysAt(level));
}
