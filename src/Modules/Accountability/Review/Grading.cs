using Helpline.Platform.Errors;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Helpline.Accountability.Review;

/// <summary>A disposal's grade: A excellent, B general, C poor.</summary>
public enum DisposalGrade
{
    /// <summary>Excellent.</summary>
    A = 0,

    /// <summary>General.</summary>
    B = 1,

    /// <summary>Poor: the disposal is re-examined, and it counts against the officer who made it.</summary>
    C = 2,
}

/// <summary>A grade given to a disposal; superseded grades are kept.</summary>
internal sealed record GradeRow(
    Guid Id, string ReferenceNumber, int DisposalSequence, DisposalGrade Grade, string Remark, string GradedBy, DateTimeOffset GradedAt,
    DateTimeOffset? SupersededAt, string OfficerId, string? PositionId, string DepartmentId, string JurisdictionId);

/// <summary>
/// Supervisors grade disposals of their team. A new grade of the same disposal supersedes the old one (kept, with when
/// it was superseded); a C grade is a fact against the officer who disposed of it, cleared when the grade is revised.
/// </summary>
internal sealed class Grading(NpgsqlDataSource dataSource, IOptions<AccountabilityOptions> options)
{
    /// <summary>The longest remark.</summary>
    public const int MaxRemark = 1000;

    private const string DisposalSql = """
        select sequence, officer_id, position_id, supervisor_officer_id, department_id, jurisdiction_id from accountability.fact
        where reference_number = $1 and kind = 'disposal' and ($2::int is null or sequence = $2)
        order by sequence desc limit 1
        """;

    private const string CurrentSql = """
        select id, grade, remark, graded_by from accountability.grade
        where reference_number = $1 and disposal_sequence = $2 and superseded_at is null
        for update
        """;

    // The grader's grades are counted under a lock of their own, so grades sent at once cannot all pass the limit. The
    // count is a statement of its own: it must see the grades committed while this one waited for the lock.
    private const string GraderLockSql = "select pg_advisory_xact_lock(hashtextextended('grades:' || $1, 7716))";

    private const string CountSql = "select count(*) from accountability.grade where graded_by = $1 and graded_at >= $2 and graded_at < $3";

    private const string SupersedeSql = """
        update accountability.grade set superseded_at = $2 where id = $1;
        """;

    private const string ClearSql = """
        update accountability.fact set cleared_at = $2, cleared_why = $3 where id = $1 and cleared_at is null
        """;

    private const string InsertSql = """
        insert into accountability.grade (id, reference_number, disposal_sequence, grade, remark, graded_by, graded_at) values ($1, $2, $3, $4, $5, $6, $7)
        """;

    // The C grade as a fact against the disposal's officer, dated at the disposal so that it counts in that month.
    private const string CFactSql = """
        insert into accountability.fact (id, kind, reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id,
                                         supervisor_officer_id, department_id, jurisdiction_id, district_id, tehsil_id, block_id, recorded_at, note)
        select $1, 'c_grade', reference_number, sequence, at, officer_id, position_id, level, supervisor_position_id,
               supervisor_officer_id, department_id, jurisdiction_id, district_id, tehsil_id, block_id, $3, $4
        from accountability.fact where reference_number = $2 and kind = 'disposal' and sequence = $5
        """;

    /// <summary>The disposal to grade: its sequence, officer, seat, that officer's supervisor (null when unknown), and where it lies.</summary>
    public async Task<(int Sequence, string OfficerId, string? PositionId, string? SupervisorOfficerId, string DepartmentId, string JurisdictionId)?> DisposalAsync(string reference, int? sequence, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(DisposalSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)sequence ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? (r.GetInt32(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetString(5))
            : null;
    }

    /// <summary>
    /// Grades the disposal; the same grade and remark by the same grader again changes nothing (a retried request).
    /// </summary>
    /// <exception cref="HelplineException">GRADE_LIMIT_REACHED when the grader has given the month's most grades.</exception>
    public async Task<Guid> GradeAsync(string reference, int sequence, DisposalGrade grade, string remark, string grader, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        Guid? currentId = null;
        DisposalGrade? currentGrade = null;
        await using (var cmd = new NpgsqlCommand(CurrentSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sequence });
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            if (await r.ReadAsync(cancellationToken))
            {
                currentId = r.GetGuid(0);
                currentGrade = Enum.Parse<DisposalGrade>(r.GetString(1));
                if (currentGrade == grade && r.GetString(2) == remark && r.GetString(3) == grader)
                {
                    return currentId.Value;
                }
            }
        }

        var month = Period.Containing(RulePeriod.Month, now);
        await using (var cmd = new NpgsqlCommand(GraderLockSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grader });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var cmd = new NpgsqlCommand(CountSql, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grader });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = month.From });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = month.To });
            var given = (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
            if (given >= options.Value.MaxGradesPerMonth)
            {
                throw new HelplineException(AccountabilityErrorCodes.GradeLimitReached, $"{grader} has graded {given} disposals in {month.Name}, the most a month ({options.Value.MaxGradesPerMonth}).");
            }
        }

        var id = Guid.NewGuid();
        await using var batch = new NpgsqlBatch(connection, tx);
        if (currentId is { } old)
        {
            batch.BatchCommands.Add(Command(SupersedeSql, old, now));
            if (currentGrade == DisposalGrade.C)
            {
                batch.BatchCommands.Add(Command(ClearSql, old, now, $"Grade revised to {grade} by {grader}."));
            }
        }

        batch.BatchCommands.Add(Command(InsertSql, id, reference, sequence, grade.ToString(), remark, grader, now));
        if (grade == DisposalGrade.C)
        {
            batch.BatchCommands.Add(Command(CFactSql, id, reference, now, $"Graded C by {grader}: {remark}", sequence));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new HelplineException(AccountabilityErrorCodes.ConcurrentReview, $"Another grade of disposal {sequence} of {reference} was saved at the same moment; nothing was saved.", "referenceNumber");
        }

        await tx.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Every grade of a grievance's disposals, newest first, with the officer who disposed.</summary>
    public async Task<IReadOnlyList<GradeRow>> OfAsync(string reference, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("""
            select g.id, g.reference_number, g.disposal_sequence, g.grade, g.remark, g.graded_by, g.graded_at, g.superseded_at, d.officer_id, d.position_id,
                   d.department_id, d.jurisdiction_id
            from accountability.grade g
            join accountability.fact d on d.reference_number = g.reference_number and d.kind = 'disposal' and d.sequence = g.disposal_sequence
            where g.reference_number = $1
            order by g.n desc
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
        var rows = new List<GradeRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new GradeRow(r.GetGuid(0), r.GetString(1), r.GetInt32(2), Enum.Parse<DisposalGrade>(r.GetString(3)), r.GetString(4), r.GetString(5),
                r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.GetString(10), r.GetString(11)));
        }

        return rows;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql.TrimEnd().TrimEnd(';'));
        foreach (var v in values)
        {
            c.Parameters.Add(new NpgsqlParameter { Value = v });
        }

        return c;
    }
}
