using Npgsql;

namespace Helpline.Platform.Database;

/// <summary>
/// Runs the statements of a batch that goes with every grievance change as prepared statements, so that PostgreSQL
/// parses and plans each text once per connection instead of once per run (planning was about a third of the
/// database's CPU per registration, more than executing).
/// </summary>
/// <remarks>
/// After five runs PostgreSQL may keep one plan for any values. Made while a table held a few rows, that plan scans
/// the table, and keeps scanning it as the table grows, until the table is analysed again. So the batch first turns
/// table scans off for its transaction: every plan of these statements is then made with them off, and finds its rows
/// by an index. Use it only for statements that find their rows by key, in an explicit transaction.
/// </remarks>
public static class PreparedBatch
{
    private const string NoTableScans = "set local enable_seqscan = off";

    // With scans off, a table that has no index (the event log's one-row head) is still scanned, at a cost so high
    // that PostgreSQL compiles the statement to machine code first: 270 ms an event-log append, measured.
    private const string NoCompilation = "set local jit = off";

    // Left to choose, PostgreSQL planned the event-log append afresh on every run: its estimate of a plan for any
    // array is above that of a plan for the arrays at hand. These statements find their rows by key, so one plan made
    // for any values is as good, and is made once.
    private const string OnePlan = "set local plan_cache_mode = force_generic_plan";

    private static readonly string[] Settings = [NoTableScans, NoCompilation, OnePlan];

    private const string Begin = "begin";
    private const string Commit = "commit";

    /// <summary>
    /// Like <see cref="PrepareByKeyAsync"/> for a batch that is a whole transaction of its own: <c>begin</c> and the
    /// settings come first, <c>commit</c> last, so that it runs and ends in one round trip instead of two (an explicit
    /// transaction's commit or rollback is a round trip of its own). A reader still meets the caller's results first.
    /// When a statement fails, the server skips the rest, the commit too; the connection's pool rolls the transaction
    /// back before the connection is used again.
    /// </summary>
    /// <param name="batch">A batch on an open connection, outside any transaction, whose statements find their rows by key.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <exception cref="InvalidOperationException">The batch is in a transaction: its own <c>begin</c> would fail.</exception>
    public static async Task PrepareAsTransactionByKeyAsync(this NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Transaction is not null)
        {
            throw new InvalidOperationException("A batch that is its own transaction runs outside any other.");
        }

        if (batch.BatchCommands.Count == 0 || batch.BatchCommands[0].CommandText != Begin)
        {
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand(Begin));
            InsertSettings(batch, 1);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Commit));
        }

        await batch.PrepareAsync(cancellationToken);
    }

    /// <summary>
    /// Prepares <paramref name="batch"/>'s statements on its connection (once per connection and text) behind the
    /// settings above, which come first in the batch (the caller's statements move three places; a reader still
    /// meets the caller's results first, since the settings return none). Calling it again adds nothing.
    /// </summary>
    /// <param name="batch">A batch on an open connection, in an explicit transaction, whose statements find their rows by key.</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <exception cref="InvalidOperationException">The batch has no transaction: the setting would not be confined to it.</exception>
    public static async Task PrepareByKeyAsync(this NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Transaction is null)
        {
            throw new InvalidOperationException("A prepared batch runs in an explicit transaction, so that its setting ends with it.");
        }

        if (batch.BatchCommands.Count == 0 || batch.BatchCommands[0].CommandText != NoTableScans)
        {
            InsertSettings(batch, 0);
        }

        await batch.PrepareAsync(cancellationToken);
    }

    private static void InsertSettings(NpgsqlBatch batch, int at)
    {
        for (var i = 0; i < Settings.Length; i++)
        {
            batch.BatchCommands.Insert(at + i, new NpgsqlBatchCommand(Settings[i]));
        }
    }
}
