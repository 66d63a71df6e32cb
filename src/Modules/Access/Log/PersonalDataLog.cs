using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Helpline.Platform.Access;
using Helpline.Platform.Errors;
using Npgsql;

namespace Helpline.Access.Log;

/// <summary>One row of the access log.</summary>
internal sealed record PersonalDataReadEntry(long Id, DateTimeOffset At, string Subject, string Role, string? TokenId, string ReferenceNumber, string Field, string? Operation);

/// <summary>A page of the access log, oldest first.</summary>
internal sealed record PersonalDataReadPage(IReadOnlyList<PersonalDataReadEntry> Nodes, bool HasNextPage, string? EndCursor);

/// <summary>
/// The access log in <c>access.personal_data_read</c>: one statement per request, written before the answer leaves;
/// a trigger refuses updates, deletes and truncation.
/// </summary>
internal sealed class PersonalDataLog(NpgsqlDataSource dataSource, TimeProvider clock) : IPersonalDataLog
{
    public async Task WriteAsync(Caller caller, IReadOnlyCollection<PersonalDataRead> reads, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(reads);
        var distinct = reads.Distinct().ToList();
        if (distinct.Count == 0)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand(
            """
            insert into access.personal_data_read (at, subject, role, token_id, reference_number, field, operation)
            select $1, $2, $3, $4, r, f, $7 from unnest($5::text[], $6::text[]) as t(r, f)
            """);
        cmd.Parameters.AddWithValue(clock.GetUtcNow());
        cmd.Parameters.AddWithValue(caller.Subject);
        cmd.Parameters.AddWithValue(RoleNames.NameOf(caller.Role));
        cmd.Parameters.AddWithValue((object?)caller.TokenId ?? DBNull.Value);
        cmd.Parameters.AddWithValue(distinct.Select(r => r.ReferenceNumber).ToArray());
        cmd.Parameters.AddWithValue(distinct.Select(r => r.Field).ToArray());
        cmd.Parameters.AddWithValue(operation);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PersonalDataReadPage> ReadAsync(string? referenceNumber, string? subject, int first, string? after, CancellationToken cancellationToken)
    {
        if (first is < 1 or > 500)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'first' must be between 1 and 500; it was {first}.", "first");
        }

        long afterId = 0;
        if (after is not null && !long.TryParse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(after)), NumberStyles.None, CultureInfo.InvariantCulture, out afterId))
        {
            throw new HelplineException(ErrorCodes.Invalid, "'after' is not a cursor this list returned.", "after");
        }

        await using var cmd = dataSource.CreateCommand(
            """
            select id, at, subject, role, token_id, reference_number, field, operation from access.personal_data_read
            where id > $1 and ($2::text is null or reference_number = $2) and ($3::text is null or subject = $3)
            order by id limit $4
            """);
        cmd.Parameters.AddWithValue(afterId);
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = referenceNumber, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = subject, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue(first + 1);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var rows = new List<PersonalDataReadEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PersonalDataReadEntry(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        var hasNext = rows.Count > first;
        if (hasNext)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var end = rows.Count == 0 ? after : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rows[^1].Id.ToString(CultureInfo.InvariantCulture)));
        return new PersonalDataReadPage(rows, hasNext, end);
    }
}
