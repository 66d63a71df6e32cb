using Helpline.Platform.Database;
using Helpline.Platform.SharedData;
using Helpline.Sla.Files;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.Sla.Storage;

/// <summary>What one load inserted; a load never updates or deletes.</summary>
internal sealed record SlaLoadResult(int CalendarsInserted, int AssignmentsInserted, int HolidaysInserted)
{
    /// <summary>True when everything shipped was already in the database.</summary>
    public bool Unchanged => CalendarsInserted + AssignmentsInserted + HolidaysInserted == 0;
}

/// <summary>
/// Seeds the <c>sla</c> schema and refreshes the in-memory snapshot. In one transaction it inserts, when missing, the
/// default calendar (<see cref="WorkingCalendar.Default"/>), its assignment to Uttar Pradesh's root
/// (<see cref="StateRootId"/>) and the holidays of the shipped file (<c>Data/holidays-2026.csv</c>). It only inserts
/// what is missing: an administrator's changes (calendar hours, the state's calendar, a renamed holiday) are kept, and
/// a second load changes nothing.
/// </summary>
internal sealed partial class SlaLoader(NpgsqlDataSource dataSource, SlaStore store, ILogger<SlaLoader> logger) : IReferenceDataLoader
{
    /// <summary>The id of Uttar Pradesh in the jurisdiction tree (LGD state code 9).</summary>
    public const string StateRootId = "state:9";

    /// <summary>25: after the catalogue (20), before the officers.</summary>
    public int Order => 25;

    /// <inheritdoc />
    public async Task LoadAsync(CancellationToken cancellationToken) =>
        await LoadAsync(HolidayFiles.ReadShipped(), cancellationToken);

    /// <summary>Seeds the default calendar, its state assignment and <paramref name="holidays"/> (validated), then refreshes.</summary>
    public async Task<SlaLoadResult> LoadAsync(IReadOnlyList<Holiday> holidays, CancellationToken cancellationToken)
    {
        SlaLoadResult result;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Several silos may start together; one seeds at a time.
            await using (var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('helpline.sla.load'))", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var calendar = WorkingCalendar.Default;
            int calendars;
            await using (var command = new NpgsqlCommand(
                "insert into sla.calendars (id, name, working_days, opening, closing) values ($1, $2, $3, $4, $5) on conflict (id) do nothing",
                connection,
                transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = calendar.Id });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = calendar.Name });
                command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = [.. calendar.WorkingDays.Select(IsoDays.FromDayOfWeek).Order()] });
                command.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = calendar.Opening });
                command.Parameters.Add(new NpgsqlParameter<TimeOnly> { TypedValue = calendar.Closing });
                calendars = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            int assignments;
            await using (var command = new NpgsqlCommand(
                "insert into sla.calendar_assignments (jurisdiction_id, calendar_id) values ($1, $2) on conflict (jurisdiction_id) do nothing",
                connection,
                transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StateRootId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = calendar.Id });
                assignments = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            int inserted;
            await using (var command = new NpgsqlCommand(
                """
                insert into sla.holidays (jurisdiction_id, date, name, source)
                select j, d, n, 'shipped' from unnest($1::text[], $2::date[], $3::text[]) as f(j, d, n)
                on conflict (jurisdiction_id, date) do nothing
                """,
                connection,
                transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. holidays.Select(h => h.JurisdictionId)] });
                command.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = [.. holidays.Select(h => h.Date)] });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. holidays.Select(h => h.Name)] });
                inserted = await command.ExecuteNonQueryAsync(cancellationToken);
            }

            result = new SlaLoadResult(calendars, assignments, inserted);
            if (!result.Unchanged)
            {
                await SharedDataChanges.PublishAsync(connection, transaction, SlaArea.Name, "shipped calendar and holidays loaded", TimeProvider.System.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
        var snapshot = store.Current;
        var holidaysInMemory = snapshot.HolidaysByJurisdiction.Values.Sum(h => h.Count);
        LogLoaded(result, snapshot.Calendars.Count, snapshot.Assignments.Count, holidaysInMemory, snapshot.Overrides.Count);

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA data loaded: {Result}; {Calendars} calendars, {Assignments} assignments, {Holidays} holidays, {Overrides} policy overrides in memory")]
    private partial void LogLoaded(SlaLoadResult result, int calendars, int assignments, int holidays, int overrides);
}
