using Npgsql;

namespace Helpline.Platform.Orleans;

/// <summary>
/// What of a <see cref="PostgresException"/> thrown by a grain on another silo reaches its caller. Orleans' exception
/// codec carries only an exception's message and stack, so the caller got a PostgresException without its SQLSTATE:
/// not transient, not a version conflict, answered as a bug (INTERNAL_SERVER_ERROR) when a terminated database session
/// made the outcome unknown. The server's own fields travel instead.
/// </summary>
[GenerateSerializer]
[Alias("helpline.postgres-exception")]
internal struct PostgresExceptionSurrogate
{
    [Id(0)]
    public string MessageText;

    [Id(1)]
    public string Severity;

    [Id(2)]
    public string InvariantSeverity;

    [Id(3)]
    public string SqlState;

    [Id(4)]
    public string? Detail;

    [Id(5)]
    public string? ConstraintName;
}

/// <summary>Rebuilds a <see cref="PostgresException"/> on the caller's silo from <see cref="PostgresExceptionSurrogate"/>.</summary>
[RegisterConverter]
internal sealed class PostgresExceptionConverter : IConverter<PostgresException, PostgresExceptionSurrogate>
{
    public PostgresException ConvertFromSurrogate(in PostgresExceptionSurrogate surrogate) =>
        new(surrogate.MessageText, surrogate.Severity, surrogate.InvariantSeverity, surrogate.SqlState, surrogate.Detail, constraintName: surrogate.ConstraintName);

    public PostgresExceptionSurrogate ConvertToSurrogate(in PostgresException value) => new()
    {
        MessageText = value.MessageText,
        Severity = value.Severity,
        InvariantSeverity = value.InvariantSeverity,
        SqlState = value.SqlState,
        Detail = value.Detail,
        ConstraintName = value.ConstraintName,
    };
}
