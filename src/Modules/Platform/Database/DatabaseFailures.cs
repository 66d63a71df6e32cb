using Npgsql;

namespace Helpline.Platform.Database;

/// <summary>Failures that are the database going away, not its answer to the statement.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// Whether the server ended the session (an administrator's termination, a shutdown, a start-up: 57P01 to 57P03)
    /// or the connection failed (class 08). Npgsql counts these transient, as it does a serialization failure, but
    /// unlike that answer they do not say the transaction rolled back: one that had not begun to commit ended with the
    /// session; one whose commit was in flight may or may not have committed.
    /// </summary>
    public static bool SessionEnded(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }
            or PostgresException { SqlState: ['0', '8', ..] };

    /// <summary>
    /// Whether the same statements may succeed if sent again: Npgsql's transient failures (the connection lost, a
    /// timeout, a serialization failure, a deadlock) and a session the server ended.
    /// </summary>
    public static bool MayPass(Exception error) => error is NpgsqlException { IsTransient: true } || SessionEnded(error);
}
