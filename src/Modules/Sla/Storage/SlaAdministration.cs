using System.Globalization;
using Helpline.Catalogue;
using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Platform.Events;
using Helpline.Platform.SharedData;
using Helpline.Sla.Calendar;
using Helpline.Sla.Events;
using Helpline.Sla.Files;
using Npgsql;

namespace Helpline.Sla.Storage;

/// <summary>
/// The <see cref="ISlaAdministration"/>: validates, writes in one transaction, then refreshes the <see cref="SlaStore"/>;
/// a policy change is published as <see cref="SlaPolicyChanged"/> in the transaction that stores it.
/// Category and jurisdiction ids belong to other modules, so they are checked against <see cref="ICatalogue"/> and
/// <see cref="IJurisdictionDirectory"/> here rather than by foreign keys.
/// </summary>
internal sealed class SlaAdministration(
    NpgsqlDataSource dataSource,
    SlaStore store,
    ICatalogue catalogue,
    IJurisdictionDirectory directory,
    TimeProvider? clock = null) : ISlaAdministration
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task SetPolicyAsync(string categoryId, int level, SlaAllowance allowance, decimal warningShare = 0.75m, CancellationToken cancellationToken = default)
    {
        CheckCategory(categoryId);
        CheckLevel(level);
        if (allowance is null)
        {
            throw new HelplineException(ErrorCodes.Required, "An allowance is required.", "allowance");
        }

        if (allowance.Problem() is { } problem)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The allowance is not valid: {problem}.", "allowance");
        }

        if (warningShare is <= 0m or > 1m || decimal.Round(warningShare, 4) != warningShare)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"The warning share must be above 0 and at most 1, with at most 4 decimals, not {warningShare.ToString(CultureInfo.InvariantCulture)}.",
                "warningShare");
        }

        // The upsert writes nothing when the same override is already stored, so a repeated call publishes nothing.
        const string sql = """
            insert into sla.policy_overrides as p (category_id, level, unit, amount, warning_share)
            values ($1, $2, $3, $4, $5)
            on conflict (category_id, level) do update
              set unit = excluded.unit, amount = excluded.amount, warning_share = excluded.warning_share
              where (p.unit, p.amount, p.warning_share) is distinct from (excluded.unit, excluded.amount, excluded.warning_share)
            """;
        var snapshot = store.Current;
        CheckComputable(snapshot.Calendars.Values.Append(snapshot.DefaultCalendar), [allowance], "amount");
        await ChangePolicyAsync(sql, categoryId, level, removed: false, cancellationToken, categoryId, (short)level, allowance.Unit.ToString(), allowance.Amount, warningShare);
    }

    public async Task<bool> ResetPolicyAsync(string categoryId, int level, CancellationToken cancellationToken = default)
    {
        CheckCategory(categoryId);
        CheckLevel(level);
        return await ChangePolicyAsync(
            "delete from sla.policy_overrides where category_id = $1 and level = $2", categoryId, level, removed: true, cancellationToken, categoryId, (short)level);
    }

    public async Task<HolidayChanges> AddHolidaysAsync(IEnumerable<Holiday> holidays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        var result = HolidayFiles.Validate(holidays, JurisdictionExists);
        return await StoreHolidaysAsync(result, "admin", cancellationToken);
    }

    public async Task<HolidayChanges> ImportHolidaysAsync(Stream content, HolidayFileFormat format, string? jurisdictionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (jurisdictionId is not null && !JurisdictionExists(jurisdictionId))
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        var result = HolidayFiles.Read(content, format, jurisdictionId, JurisdictionExists);
        return await StoreHolidaysAsync(result, "import", cancellationToken);
    }

    public async Task<bool> RemoveHolidayAsync(string jurisdictionId, DateOnly date, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(jurisdictionId) || !JurisdictionExists(jurisdictionId))
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        var removed = await ExecuteInTransactionAsync(
            "delete from sla.holidays where jurisdiction_id = $1 and date = $2", $"holiday of {jurisdictionId} on {date:yyyy-MM-dd} removed", cancellationToken, jurisdictionId, date);
        await store.RefreshAsync(cancellationToken);
        return removed > 0;
    }

    public async Task SaveCalendarAsync(WorkingCalendar calendar, CancellationToken cancellationToken = default)
    {
        CheckCalendar(calendar);
        CheckComputable([calendar], store.Current.Overrides.Values.Select(o => o.Allowance), "input");
        const string sql = """
            insert into sla.calendars as c (id, name, working_days, opening, closing)
            values ($1, $2, $3, $4, $5)
            on conflict (id) do update
              set name = excluded.name, working_days = excluded.working_days, opening = excluded.opening, closing = excluded.closing
              where (c.name, c.working_days, c.opening, c.closing) is distinct from (excluded.name, excluded.working_days, excluded.opening, excluded.closing)
            """;
        short[] days = [.. calendar.WorkingDays.Select(IsoDays.FromDayOfWeek).Order()];
        // 24:00 is stored as PostgreSQL's time 24:00:00, so that opening < closing holds in the table too.
        var closing = new NpgsqlParameter { Value = calendar.ClosingTimeOfDay, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Time };
        await ExecuteInTransactionAsync(sql, $"calendar {calendar.Id} saved", cancellationToken, calendar.Id, Helpline.Platform.Text.UserText.Check(calendar.Name, SlaLimits.MaxNameLength, singleLine: true).Text, days, calendar.Opening, closing);
        await store.RefreshAsync(cancellationToken);
    }

    public async Task AssignCalendarAsync(string jurisdictionId, string calendarId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(jurisdictionId) || !JurisdictionExists(jurisdictionId))
        {
            throw new HelplineException(JurisdictionErrorCodes.UnknownJurisdiction, $"No jurisdiction has the id '{jurisdictionId}'.", "jurisdictionId");
        }

        const string sql = """
            insert into sla.calendar_assignments as a (jurisdiction_id, calendar_id)
            select $1, id from sla.calendars where id = $2
            on conflict (jurisdiction_id) do update set calendar_id = excluded.calendar_id
              where a.calendar_id is distinct from excluded.calendar_id
            """;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var exists = new NpgsqlCommand("select count(*) from sla.calendars where id = $1", connection, transaction))
            {
                exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = calendarId ?? string.Empty });
                if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"No calendar has the id '{calendarId}'.", "calendarId");
                }
            }

            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jurisdictionId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = calendarId });
                if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
                {
                    await SharedDataChanges.PublishAsync(
                        connection, transaction, SlaArea.Name, $"calendar {calendarId} assigned to {jurisdictionId}", _clock.GetUtcNow(), cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
    }

    private void CheckCategory(string categoryId)
    {
        if (string.IsNullOrWhiteSpace(categoryId) || catalogue.FindCategory(categoryId) is null)
        {
            throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", "categoryId");
        }
    }

    // A calendar and an allowance can each be valid and together need more working time than the arithmetic looks
    // ahead (one working hour a day and 8,760 working hours). Refused when the second of them is saved, so that no
    // grievance ever meets the pair at a breach, where nothing can be refused any more. Holidays are left out: they
    // take at most a few days a year.
    private static void CheckComputable(IEnumerable<WorkingCalendar> calendars, IEnumerable<SlaAllowance> allowances, string field)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var calendar in calendars)
        {
            var withoutHolidays = new SlaCalendar(calendar, Array.Empty<Holiday>());
            foreach (var allowance in allowances.Where(a => a.CountsWorkingTime))
            {
                try
                {
                    SlaArithmetic.DueAt(start, allowance, withoutHolidays);
                }
                catch (HelplineException ex) when (ex.Code == ErrorCodes.Invalid)
                {
                    throw new HelplineException(ErrorCodes.Invalid, $"{allowance.Amount} {allowance.Unit} cannot be given by calendar '{calendar.Id}' within 20 years: {ex.Message}", field);
                }
            }
        }
    }

    private static void CheckLevel(int level)
    {
        if (level is < 1 or > SlaLimits.MaxLevel)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"The level must be 1 (L1) to {SlaLimits.MaxLevel} (L4), not {level}.", "level");
        }
    }

    // Field paths are relative to the parameter (calendar.name), so a caller can map them onto its own input.
    private static void CheckCalendar(WorkingCalendar calendar)
    {
        if (calendar is null)
        {
            throw new HelplineException(ErrorCodes.Required, "A calendar is required.", "calendar");
        }

        if (string.IsNullOrWhiteSpace(calendar.Id))
        {
            throw new HelplineException(ErrorCodes.Required, "The calendar id is required.", "calendar.id");
        }

        // Before the calendar's own check, which looks at the id first: a fault in the name is reported at the name.
        Helpline.Platform.Text.UserText.Require(calendar.Name, SlaLimits.MaxNameLength, "calendar.name", singleLine: true);

        if (calendar.WorkingDays is null || calendar.WorkingDays.Count == 0)
        {
            throw new HelplineException(ErrorCodes.Required, "A calendar needs at least one working day.", "calendar.workingDays");
        }

        if (calendar.WorkingDays.Distinct().Count() != calendar.WorkingDays.Count || calendar.WorkingDays.Any(d => !Enum.IsDefined(d)))
        {
            throw new HelplineException(ErrorCodes.Invalid, "Working days must be distinct days of the week.", "calendar.workingDays");
        }

        if (calendar.Opening.ToTimeSpan() >= calendar.ClosingTimeOfDay)
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"The closing time ({calendar.ClosingText}) must be after the opening time ({calendar.Opening:HH\\:mm}) on the same day (24:00 for midnight).",
                "calendar.closing");
        }

        if (calendar.Problem() is { } problem)
        {
            // What is left is the id's form (lower-case hyphenated code) or a control character in the name.
            throw new HelplineException(ErrorCodes.Invalid, $"The calendar is not valid: {problem}.", problem.StartsWith("calendar name", StringComparison.Ordinal) ? "calendar.name" : "calendar.id");
        }
    }

    /// <summary>
    /// Runs the statement that changes an override and, when it changed something, numbers the change and publishes
    /// <see cref="SlaPolicyChanged"/> in the same transaction: the change and its event are stored together or not at all.
    /// </summary>
    /// <returns>True when something changed.</returns>
    private async Task<bool> ChangePolicyAsync(string sql, string categoryId, int level, bool removed, CancellationToken cancellationToken, params object[] parameters)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }

            await using var next = new NpgsqlCommand(
                """
                insert into sla.policy_versions as v (category_id, version) values ($1, 1)
                on conflict (category_id) do update set version = v.version + 1
                returning version
                """,
                connection,
                transaction);
            next.Parameters.Add(new NpgsqlParameter<string> { TypedValue = categoryId });
            var version = (int)(await next.ExecuteScalarAsync(cancellationToken))!;
            await SharedDataChanges.PublishAsync(
                connection, transaction, SlaArea.Name, $"policy of {categoryId} at L{level} {(removed ? "reset" : "set")}", _clock.GetUtcNow(), cancellationToken);
            await EventLog.AppendAsync(
                connection,
                transaction,
                SlaPolicyEvents.Stream,
                categoryId,
                [SlaPolicyEvents.New(categoryId, version, level, removed, _clock.GetUtcNow())],
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
        return true;
    }

    private bool JurisdictionExists(string jurisdictionId) => directory.Find(jurisdictionId) is not null;

    private async Task<HolidayChanges> StoreHolidaysAsync(HolidayFileResult result, string source, CancellationToken cancellationToken)
    {
        if (result.Errors.Count > 0)
        {
            throw new HolidayImportException(result.Errors);
        }

        const string sql = """
            insert into sla.holidays as h (jurisdiction_id, date, name, source)
            select j, d, n, $4 from unnest($1::text[], $2::date[], $3::text[]) as f(j, d, n)
            on conflict (jurisdiction_id, date) do update set name = excluded.name, source = excluded.source
              where h.name is distinct from excluded.name
            returning (xmax = 0)
            """;
        int added = 0, renamed = 0;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var command = new NpgsqlCommand(sql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. result.Holidays.Select(h => h.JurisdictionId)] });
                command.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = [.. result.Holidays.Select(h => h.Date)] });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. result.Holidays.Select(h => h.Name)] });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (reader.GetBoolean(0))
                    {
                        added++;
                    }
                    else
                    {
                        renamed++;
                    }
                }
            }

            if (added + renamed > 0)
            {
                await SharedDataChanges.PublishAsync(
                    connection, transaction, SlaArea.Name, $"holidays: {added} added, {renamed} renamed ({source})", _clock.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await store.RefreshAsync(cancellationToken);
        return new HolidayChanges(added, renamed, result.Holidays.Count - added - renamed);
    }

    /// <summary>
    /// Runs one statement with positional parameters in its own transaction and, when it changed rows, publishes
    /// <paramref name="change"/> in the same transaction; returns the rows affected.
    /// </summary>
    private async Task<int> ExecuteInTransactionAsync(string sql, string change, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int affected;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            foreach (var value in parameters)
            {
                command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
            }

            affected = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (affected > 0)
        {
            await SharedDataChanges.PublishAsync(connection, transaction, SlaArea.Name, change, _clock.GetUtcNow(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return affected;
    }
}
