using Helpline.Jurisdictions;
using Helpline.Platform.Errors;
using Helpline.Platform.SharedData;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helpline.Catalogue;

/// <summary>
/// The <see cref="ICategoryAdministration"/>: checks the input, then, in one transaction under the catalogue's write
/// lock (the loader's and the import registry's), reads what is stored, applies the rules, records the change with the
/// full state before and after, and publishes it to every silo; then refreshes this silo's <see cref="CatalogueStore"/>.
/// </summary>
internal sealed partial class CategoryAdministration(
    NpgsqlDataSource dataSource,
    CatalogueStore store,
    IEnumerable<ICategoryCoverage> coverage,
    ILogger<CategoryAdministration> logger,
    TimeProvider? clock = null) : ICategoryAdministration
{
    /// <summary>Source of the categories an administrator adds.</summary>
    internal const string AdminSource = "admin";

    private const int MaxChangesListed = 200;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<CategoryChange> AddAsync(NewCategory category, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(category);
        var id = CategoryInput.Id(category.Id, "input.id");
        var state = new CategoryState(
            id,
            CategoryInput.Name(category.Name, "input.name"),
            CategoryInput.Name(category.NameHindi, "input.nameHindi"),
            CategoryInput.Keywords(category.Keywords),
            CategoryInput.Id(category.DepartmentId, "input.departmentId"),
            category.ResolutionLevel,
            CategoryInput.SlaDays(category.SlaDays),
            AdminSource,
            Retired: false,
            ReplacedBy: null);
        var now = _clock.GetUtcNow();
        var effective = CategoryInput.Effective(effectiveAt, now);
        var why = CategoryInput.Reason(reason);
        var who = CategoryInput.Actor(actor);

        return await InTransactionAsync(async (connection, transaction) =>
        {
            if (await CategoryChangeRows.OriginOfAsync(connection, transaction, id, cancellationToken) is { } origin)
            {
                // A retried add finds its own add: the same content is answered with it, anything else is refused.
                if (origin == "admin" && await CategoryChangeRows.AddOfAsync(connection, transaction, id, cancellationToken) is { } add
                    && add.After.SameAs(state) && (effectiveAt is null || add.EffectiveAt == effective))
                {
                    return (add, false);
                }

                throw new HelplineException(
                    ErrorCodes.Invalid, $"A category with the id '{id}' already exists ({origin}) with other content; choose another id, or rename or remap it.", "input.id");
            }

            CategoryInput.RequireNotPast(effective, now);
            await CheckSeatAsync(connection, transaction, state.DepartmentId, state.ResolutionLevel, "input.resolutionLevel", cancellationToken);
            await CategoryChangeRows.InsertAddedCategoryAsync(connection, transaction, state, cancellationToken);
            return (await RecordAsync(connection, transaction, CategoryChangeKind.Add, effective, now, who, why, null, state, cancellationToken), true);
        }, cancellationToken);
    }

    public Task<CategoryChange> RenameAsync(
        string categoryId, string name, string nameHindi, IReadOnlyList<string>? keywords, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken)
    {
        var newName = CategoryInput.Name(name, "input.name");
        var newHindi = CategoryInput.Name(nameHindi, "input.nameHindi");
        var newKeywords = keywords is null ? null : CategoryInput.Keywords(keywords);
        return ChangeAsync(
            categoryId,
            CategoryChangeKind.Rename,
            effectiveAt,
            actor,
            reason,
            last => last with { Name = newName, NameHindi = newHindi, Keywords = newKeywords ?? last.Keywords },
            (_, _, _, _) => Task.CompletedTask,
            "input.name",
            cancellationToken);
    }

    public Task<CategoryChange> RetireAsync(string categoryId, string? replacedBy, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken)
    {
        var successor = string.IsNullOrWhiteSpace(replacedBy) ? null : replacedBy.Trim();
        return ChangeAsync(
            categoryId,
            CategoryChangeKind.Retire,
            effectiveAt,
            actor,
            reason,
            last => last with { Retired = true, ReplacedBy = successor },
            async (connection, transaction, _, after) =>
            {
                if (successor is null)
                {
                    return;
                }

                var (replacement, _) = await CategoryChangeRows.LastAsync(connection, transaction, successor, cancellationToken);
                if (replacement is null || successor == after.Id)
                {
                    throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No other category has the id '{successor}'.", "input.replacedBy");
                }

                if (replacement.Retired)
                {
                    throw new HelplineException(CatalogueErrorCodes.CategoryRetired, $"Category '{successor}' is retired itself.", "input.replacedBy");
                }
            },
            "input.categoryId",
            cancellationToken);
    }

    public Task<CategoryChange> RemapAsync(
        string categoryId, string? departmentId, JurisdictionKind? resolutionLevel, DateTimeOffset? effectiveAt, string actor, string? reason, CancellationToken cancellationToken)
    {
        if (departmentId is null && resolutionLevel is null)
        {
            throw new HelplineException(ErrorCodes.Required, "Give a new department, a new resolution level, or both.", "input.departmentId");
        }

        var department = departmentId is null ? null : CategoryInput.Id(departmentId, "input.departmentId");
        var field = department is null ? "input.resolutionLevel" : "input.departmentId";
        return ChangeAsync(
            categoryId,
            CategoryChangeKind.Remap,
            effectiveAt,
            actor,
            reason,
            last => last with { DepartmentId = department ?? last.DepartmentId, ResolutionLevel = resolutionLevel ?? last.ResolutionLevel },
            async (connection, transaction, last, after) =>
            {
                await CheckSeatAsync(
                    connection, transaction, after.DepartmentId, after.ResolutionLevel, resolutionLevel is null ? "input.departmentId" : "input.resolutionLevel", cancellationToken);
                foreach (var check in coverage)
                {
                    if (check.Uncovered(after.Id, last.DepartmentId, last.ResolutionLevel, after.DepartmentId, after.ResolutionLevel) is { } uncovered)
                    {
                        throw new HelplineException(ErrorCodes.Invalid, $"Remapping '{after.Id}' to {after.DepartmentId} at {after.ResolutionLevel} would leave it with no seat: {uncovered}", field);
                    }
                }
            },
            field,
            cancellationToken);
    }

    public async Task<IReadOnlyList<CategoryChange>> ChangesAsync(string? categoryId, int first, CancellationToken cancellationToken)
    {
        if (first is < 1 or > MaxChangesListed)
        {
            throw new HelplineException(ErrorCodes.Invalid, $"'first' must be 1 to {MaxChangesListed}, not {first}.", "first");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CategoryChangeRows.ListAsync(connection, string.IsNullOrWhiteSpace(categoryId) ? null : categoryId, first, cancellationToken);
    }

    /// <summary>
    /// A rename, retirement or remap: <paramref name="apply"/> makes the after-state from the last recorded one; a retry
    /// of the latest change (same kind and after-state, and its effective instant or none) returns it; a change that
    /// changes nothing, of a retired category, or effective before the latest is refused; <paramref name="check"/> adds
    /// the kind's own rules.
    /// </summary>
    private async Task<CategoryChange> ChangeAsync(
        string categoryId,
        CategoryChangeKind kind,
        DateTimeOffset? effectiveAt,
        string actor,
        string? reason,
        Func<CategoryState, CategoryState> apply,
        Func<NpgsqlConnection, NpgsqlTransaction, CategoryState, CategoryState, Task> check,
        string unchangedField,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(categoryId))
        {
            throw new HelplineException(ErrorCodes.Required, "'input.categoryId' is required.", "input.categoryId");
        }

        var now = _clock.GetUtcNow();
        var effective = CategoryInput.Effective(effectiveAt, now);
        var why = CategoryInput.Reason(reason);
        var who = CategoryInput.Actor(actor);
        return await InTransactionAsync(async (connection, transaction) =>
        {
            var (last, latest) = await CategoryChangeRows.LastAsync(connection, transaction, categoryId, cancellationToken);
            if (last is null)
            {
                throw new HelplineException(CatalogueErrorCodes.UnknownCategory, $"No category has the id '{categoryId}'.", "input.categoryId");
            }

            var after = apply(last);
            if (latest is not null && latest.Kind == kind && after.SameAs(latest.After) && (effectiveAt is null || effective == latest.EffectiveAt))
            {
                return (latest, false);
            }

            CategoryInput.RequireNotPast(effective, now);
            if (last.Retired)
            {
                throw new HelplineException(CatalogueErrorCodes.CategoryRetired, $"Category '{categoryId}' is retired{(latest is null ? "" : $" (from {latest.EffectiveAt:O})")}.", "input.categoryId");
            }

            if (after.SameAs(last))
            {
                throw new HelplineException(ErrorCodes.Invalid, $"The change leaves category '{categoryId}' as it is.", unchangedField);
            }

            if (latest is not null && effective < latest.EffectiveAt)
            {
                throw new HelplineException(
                    ErrorCodes.Invalid,
                    $"Category '{categoryId}' already has a change effective at {latest.EffectiveAt:O} ({latest.Kind}); a change must not take effect before it.",
                    "input.effectiveAt");
            }

            await check(connection, transaction, last, after);
            return (await RecordAsync(connection, transaction, kind, effective, now, who, why, last, after, cancellationToken), true);
        }, cancellationToken);
    }

    private static async Task<CategoryChange> RecordAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CategoryChangeKind kind,
        DateTimeOffset effective,
        DateTimeOffset now,
        string actor,
        string? reason,
        CategoryState? before,
        CategoryState after,
        CancellationToken cancellationToken)
    {
        var change = await CategoryChangeRows.InsertAsync(connection, transaction, kind, effective, now, actor, reason, before, after, cancellationToken);
        await SharedDataChanges.PublishAsync(
            connection, transaction, CatalogueArea.Name, $"category {after.Id}: {kind.ToString().ToLowerInvariant()} effective {effective:O}", now, cancellationToken);
        return change;
    }

    /// <summary>Runs <paramref name="work"/> under the write lock; commits and refreshes the catalogue when it wrote.</summary>
    private async Task<CategoryChange> InTransactionAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, Task<(CategoryChange Change, bool Written)>> work, CancellationToken cancellationToken)
    {
        (CategoryChange Change, bool Written) result;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var command = new NpgsqlCommand(CatalogueLoader.WriteLockSql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            // Throwing disposes the transaction uncommitted: nothing is stored on any error.
            result = await work(connection, transaction);
            if (result.Written)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (result.Written)
        {
            await store.RefreshAsync(cancellationToken);
            LogRecorded(result.Change.CategoryId, result.Change.Kind, result.Change.EffectiveAt, result.Change.Actor);
        }

        return result.Change;
    }

    private static async Task CheckSeatAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string departmentId, JurisdictionKind level, string levelField, CancellationToken cancellationToken)
    {
        var kinds = await CategoryChangeRows.SeatKindsAsync(connection, transaction, departmentId, cancellationToken)
            ?? throw new HelplineException(CatalogueErrorCodes.UnknownDepartment, $"No department has the id '{departmentId}'.", "input.departmentId");
        if (!kinds.Contains(level))
        {
            throw new HelplineException(
                ErrorCodes.Invalid,
                $"Department '{departmentId}' has no seat at {level} level (its seats: {string.Join(", ", kinds.Order())}).",
                levelField);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Category {CategoryId}: {Kind} recorded, effective {EffectiveAt:O}, by {Actor}")]
    private partial void LogRecorded(string categoryId, CategoryChangeKind kind, DateTimeOffset effectiveAt, string actor);
}
