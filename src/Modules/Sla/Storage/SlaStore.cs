using System.Data;
using Npgsql;

namespace Helpline.Sla.Storage;

/// <summary>
/// Holds the current <see cref="SlaSnapshot"/> of the <c>sla</c> schema. The database is the source of truth:
/// <see cref="RefreshAsync"/> reads it whole in one consistent read and swaps the result in atomically. Until the first
/// refresh the snapshot is <see cref="SlaSnapshot.Empty"/>.
/// </summary>
internal sealed class SlaStore(NpgsqlDataSource dataSource)
{
    private long _lastSequence;
    private SlaSnapshot _current = SlaSnapshot.Empty;

    /// <summary>The snapshot in force; take it once per computation.</summary>
    public SlaSnapshot Current => Volatile.Read(ref _current);

    /// <summary>A sequence number for a snapshot about to be built; later calls get larger numbers.</summary>
    public long NextSequence() => Interlocked.Increment(ref _lastSequence);

    /// <summary>Reads the schema and publishes it. Concurrent refreshes are safe: an older read never replaces a newer one.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sequence = NextSequence();
        Publish(await ReadAsync(sequence, cancellationToken));
    }

    /// <summary>Publishes <paramref name="snapshot"/> unless a snapshot with a larger sequence is already in force.</summary>
    public void Publish(SlaSnapshot snapshot)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Sequence > snapshot.Sequence
                || ReferenceEquals(Interlocked.CompareExchange(ref _current, snapshot, current), current))
            {
                return;
            }
        }
    }

    private async Task<SlaSnapshot> ReadAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        var calendars = new List<WorkingCalendar>();
        await using (var command = new NpgsqlCommand("select id, name, working_days, opening, closing from sla.calendars", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var isoDays = reader.GetFieldValue<short[]>(2);
                calendars.Add(new WorkingCalendar(
                    reader.GetString(0),
                    reader.GetString(1),
                    [.. isoDays.Order().Select(IsoDays.ToDayOfWeek)],
                    reader.GetFieldValue<TimeOnly>(3),
                    IsoDays.StoredClosing(reader.GetFieldValue<TimeSpan>(4))));
            }
        }

        var assignments = new List<KeyValuePair<string, string>>();
        await using (var command = new NpgsqlCommand("select jurisdiction_id, calendar_id from sla.calendar_assignments", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                assignments.Add(new(reader.GetString(0), reader.GetString(1)));
            }
        }

        var holidays = new List<Holiday>();
        await using (var command = new NpgsqlCommand("select date, name, jurisdiction_id from sla.holidays", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                holidays.Add(new Holiday(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var overrides = new List<PolicyOverride>();
        await using (var command = new NpgsqlCommand("select category_id, level, unit, amount, warning_share from sla.policy_overrides", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                overrides.Add(new PolicyOverride(
                    reader.GetString(0),
                    reader.GetInt16(1),
                    new SlaAllowance(Enum.Parse<SlaUnit>(reader.GetString(2)), reader.GetInt32(3)),
                    reader.GetDecimal(4)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return SlaSnapshot.Create(sequence, calendars, assignments, holidays, overrides);
    }
}

/// <summary>ISO 8601 day numbers as stored in <c>sla.calendars.working_days</c>: 1 = Monday … 7 = Sunday.</summary>
internal static class IsoDays
{
    public static short FromDayOfWeek(DayOfWeek day) => (short)(day == DayOfWeek.Sunday ? 7 : (int)day);

    public static DayOfWeek ToDayOfWeek(short iso) => iso == 7 ? DayOfWeek.Sunday : (DayOfWeek)iso;

    // PostgreSQL's time type holds 24:00:00, which is how a calendar closing at midnight is stored; the contract
    // writes it as 00:00 (WorkingCalendar.Midnight).
    public static TimeOnly StoredClosing(TimeSpan closing) => closing >= TimeSpan.FromDays(1) ? WorkingCalendar.Midnight : TimeOnly.FromTimeSpan(closing);
}
