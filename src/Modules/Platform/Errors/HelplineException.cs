namespace Helpline.Platform.Errors;

/// <summary>
/// A request that Helpline refuses, with a stable machine-readable <see cref="Code"/> (see <see cref="ErrorCodes"/>),
/// a message for people, and, when one input is at fault, the <see cref="Field"/> path (for example <c>input.complainant.mobile</c>).
/// Thrown before anything is stored: a refused request changes nothing.
/// </summary>
[GenerateSerializer]
[Alias("helpline.error")]
public sealed class HelplineException : Exception
{
    /// <summary>Creates a refusal.</summary>
    public HelplineException(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>Stable error code, for example <c>INVALID_MOBILE</c>.</summary>
    [Id(0)]
    public string Code { get; }

    /// <summary>Path of the offending input field, or null when the error is not about one field.</summary>
    [Id(1)]
    public string? Field { get; }
}

/// <summary>A stable error code and what it means, as listed to clients (README, error catalogue).</summary>
/// <param name="Code">The code, for example <c>UNKNOWN_GRIEVANCE</c>; never renamed or reused.</param>
/// <param name="Description">One line saying when it is raised.</param>
public sealed record HelplineErrorCode(string Code, string Description);

/// <summary>
/// The generic error codes that any module may raise. A code that belongs to one module's domain is declared by that
/// module (its <c>*ErrorCodes</c> class, listed by its <c>IHelplineModule.ErrorCodes</c>). Codes are never renamed or reused.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A required field is missing or blank.</summary>
    public const string Required = "REQUIRED";
    /// <summary>A text field is longer than its limit.</summary>
    public const string TooLong = "TOO_LONG";
    /// <summary>A field's value is not one of the allowed values or is badly formed.</summary>
    public const string Invalid = "INVALID_VALUE";
    /// <summary>The caller lacks the role the action needs (for example importing).</summary>
    public const string Forbidden = "FORBIDDEN";
    /// <summary>The request is not a well-formed GraphQL-over-HTTP request.</summary>
    public const string BadRequest = "BAD_REQUEST";
    /// <summary>The service could not tell whether the request took effect (a silo died, the cluster is reconfiguring, the database is unreachable); retrying it is safe.</summary>
    public const string OutcomeUnknown = "OUTCOME_UNKNOWN";

    /// <summary>The generic codes with their descriptions.</summary>
    public static IReadOnlyList<HelplineErrorCode> Generic { get; } =
    [
        new(Required, "A required field is missing or blank."),
        new(TooLong, "A text field is longer than its limit."),
        new(Invalid, "A field's value is not one of the allowed values or is badly formed."),
        new(Forbidden, "The caller lacks the role the action needs (for example importing)."),
        new(BadRequest, "The request is not a well-formed GraphQL-over-HTTP request."),
        new(OutcomeUnknown, "The outcome is unknown (a silo died, the cluster is reconfiguring, the database is unreachable); retry, with the same client request id for a registration."),
    ];
}
