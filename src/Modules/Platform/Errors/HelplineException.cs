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

/// <summary>The stable error codes that clients may switch on. Codes are never renamed or reused.</summary>
public static class ErrorCodes
{
    /// <summary>A required field is missing or blank.</summary>
    public const string Required = "REQUIRED";
    /// <summary>A text field is longer than its limit.</summary>
    public const string TooLong = "TOO_LONG";
    /// <summary>A field's value is not one of the allowed values or is badly formed.</summary>
    public const string Invalid = "INVALID_VALUE";
    /// <summary>The mobile number is not a valid Indian mobile number.</summary>
    public const string InvalidMobile = "INVALID_MOBILE";
    /// <summary>No jurisdiction has the given id.</summary>
    public const string UnknownJurisdiction = "UNKNOWN_JURISDICTION";
    /// <summary>No category has the given id, or it is retired.</summary>
    public const string UnknownCategory = "UNKNOWN_CATEGORY";
    /// <summary>No department has the given id.</summary>
    public const string UnknownDepartment = "UNKNOWN_DEPARTMENT";
    /// <summary>No officer has the given id.</summary>
    public const string UnknownOfficer = "UNKNOWN_OFFICER";
    /// <summary>No grievance has the given reference number.</summary>
    public const string UnknownGrievance = "UNKNOWN_GRIEVANCE";
    /// <summary>The reference number is badly formed or its check digit is wrong.</summary>
    public const string InvalidReference = "INVALID_REFERENCE_NUMBER";
    /// <summary>No position is responsible for the category in that jurisdiction.</summary>
    public const string NoRoute = "NO_ROUTE";
    /// <summary>The action is not allowed in the grievance's current status.</summary>
    public const string InvalidTransition = "INVALID_STATE_TRANSITION";
    /// <summary>The acting officer does not hold the grievance.</summary>
    public const string NotAssignedOfficer = "NOT_ASSIGNED_OFFICER";
    /// <summary>A client request id was reused with different content.</summary>
    public const string IdempotencyConflict = "IDEMPOTENCY_KEY_REUSED";
    /// <summary>The caller lacks the role the action needs (for example importing).</summary>
    public const string Forbidden = "FORBIDDEN";
    /// <summary>The request is not a well-formed GraphQL-over-HTTP request.</summary>
    public const string BadRequest = "BAD_REQUEST";
}
