using System.Globalization;
using Helpline.Accountability.Facts;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Helpline.Accountability.Flags;

/// <summary>What one flagging run did.</summary>
internal sealed record FlagRun(int Raised, int Withdrawn, IReadOnlyList<string> Periods);

/// <summary>
/// Applies the penalty rules to the facts of a period and raises a flag on each officer who meets one: once per
/// officer, rule and period (a unique row), however often it runs. Officers' rules come first, then the supervisors'
/// rule over the flags just raised. A flag whose officer no longer meets its rule is withdrawn by the system.
/// </summary>
internal sealed class Flagging(NpgsqlDataSource dataSource, Places places, IOptions<AccountabilityOptions> options)
{
    private static readonly string[] AnsweredCallBacks = ["satisfied", "dissatisfied"];

    /// <summary>Runs every rule over the periods containing <paramref name="now"/> and the ones before them.</summary>
    public async Task<FlagRun> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = options.Value.RulesInForce;
        var periods = new List<string>();
        var (raised, withdrawn) = (0, 0);
        foreach (var kind in rules.Select(r => r.Period).Distinct())
        {
            var current = Period.Containing(kind, now);
            foreach (var period in new[] { current.Previous(kind), current })
            {
                var (r, w) = await RunAsync(rules.Where(x => x.Period == kind).ToArray(), period, now, cancellationToken);
                (raised, withdrawn) = (raised + r, withdrawn + w);
                periods.Add(period.Name);
            }
        }

        return new FlagRun(raised, withdrawn, periods);
    }

    /// <summary>Runs <paramref name="rules"/> over one period, in one transaction.</summary>
    public async Task<(int Raised, int Withdrawn)> RunAsync(IReadOnlyList<PenaltyRuleOptions> rules, Period period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var (raised, withdrawn) = (0, 0);
        var teamRules = rules.Where(r => r.Kind == RuleKind.TeamFlags).Select(r => r.Name).ToArray();
        foreach (var rule in rules.OrderBy(r => r.Kind == RuleKind.TeamFlags))
        {
            var met = rule.Kind == RuleKind.TeamFlags
                ? await TeamsAsync(rule, period, teamRules, connection, tx, cancellationToken)
                : await OfficersAsync(rule, period, connection, tx, cancellationToken);
            raised += await RaiseAsync(rule, period, met, now, connection, tx, cancellationToken);
            withdrawn += await WithdrawAsync(rule, period, met, now, connection, tx, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return (raised, withdrawn);
    }

    private static async Task<List<Met>> OfficersAsync(PenaltyRuleOptions rule, Period period, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var (counted, sample) = rule.Kind switch
        {
            RuleKind.Breaches => (new[] { "breach" }, new[] { "breach" }),
            RuleKind.DissatisfiedShare => (["dissatisfied"], AnsweredCallBacks),
            RuleKind.Reopened => (["reopened"], ["reopened"]),
            RuleKind.CGrades => (["c_grade"], ["c_grade"]),
            _ => (["overturned_return"], ["overturned_return"]),
        };
        await using var cmd = new NpgsqlCommand(FlagSql.PerOfficer, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = counted });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = sample });
        var met = new List<Met>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var (n, of) = (r.GetInt64(1), r.GetInt64(2));
            var figures = Figures(rule, period, n, of);
            if (figures is null)
            {
                continue;
            }

            met.Add(new Met(r.GetString(0), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7), figures, r.IsDBNull(3) ? [] : r.GetFieldValue<string[]>(3)));
        }

        return met;
    }

    // What the officer's figures are, in words, when they meet the rule; null when they do not.
    private static string? Figures(PenaltyRuleOptions rule, Period period, long n, long of)
    {
        var c = CultureInfo.InvariantCulture;
        if (rule.Kind == RuleKind.DissatisfiedShare)
        {
            var share = of == 0 ? 0 : (double)n / of;
            return of >= rule.MinSample && n >= rule.MinCount && share > rule.Share
                ? string.Create(c, $"{n} of {of} answered call-backs dissatisfied ({100 * share:0.00}%) in {period.Name}; the rule flags above {100 * rule.Share:0.##}% with at least {rule.MinSample} answered.")
                : null;
        }

        var what = rule.Kind switch
        {
            RuleKind.Breaches => "breaches of the due date (defaulter cases)",
            RuleKind.Reopened => "disposals reopened",
            RuleKind.CGrades => "disposals graded C",
            _ => "returns overturned (refused by the L2 officer, or come back to the seat that returned them)",
        };
        return n >= rule.MinCount ? string.Create(c, $"{n} {what} in {period.Name}; the rule flags {rule.MinCount} or more.") : null;
    }

    private async Task<List<Met>> TeamsAsync(PenaltyRuleOptions rule, Period period, string[] teamRules, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(FlagSql.PerSupervisor, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = teamRules });
        var met = new List<Met>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            var n = r.GetInt64(2);
            if (n < rule.MinCount)
            {
                continue;
            }

            var position = Str(r, 1);
            var (supPosition, supOfficer) = places.SupervisorOf(position, r.GetString(0));
            var flagged = string.Join(", ", r.GetFieldValue<string[]>(3));
            var figures = string.Create(CultureInfo.InvariantCulture, $"{n} flags on the team in {period.Name}: {flagged}; the rule flags a supervisor at {rule.MinCount} or more.");
            met.Add(new Met(r.GetString(0), position, supPosition, supOfficer, null, figures, r.GetFieldValue<string[]>(4)));
        }

        return met;
    }

    private async Task<int> RaiseAsync(PenaltyRuleOptions rule, Period period, List<Met> met, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        if (met.Count == 0)
        {
            return 0;
        }

        await using var cmd = new NpgsqlCommand(FlagSql.Raise, connection, tx);
        var p = cmd.Parameters;
        p.Add(Texts(met.Select(m => m.OfficerId)));
        p.Add(new NpgsqlParameter<string> { TypedValue = rule.Name });
        p.Add(new NpgsqlParameter<string> { TypedValue = period.Name });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.From });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = period.To });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        p.Add(Texts(met.Select(m => m.PositionId)));
        p.Add(Texts(met.Select(m => m.SupervisorPositionId)));
        p.Add(Texts(met.Select(m => m.SupervisorOfficerId)));
        p.Add(Texts(met.Select(m => m.DepartmentId ?? (m.PositionId is null ? null : places.DepartmentOf(m.PositionId)))));
        p.Add(Texts(met.Select(m => string.Join('|', places.PathOf(places.JurisdictionOf(m.PositionId))) is { Length: > 0 } j ? j : null)));
        p.Add(Texts(met.Select(m => m.Figures)));
        p.Add(Texts(met.Select(m => m.Evidence.Length == 0 ? null : string.Join('|', m.Evidence))));
        var raised = await cmd.ExecuteNonQueryAsync(cancellationToken);

        await using var again = new NpgsqlCommand(FlagSql.Reinstate, connection, tx);
        again.Parameters.Add(Texts(met.Select(m => m.OfficerId)));
        again.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.Name });
        again.Parameters.Add(new NpgsqlParameter<string> { TypedValue = period.Name });
        again.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"The figures meet rule '{rule.Name}' in {period.Name} again." });
        again.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        again.Parameters.Add(Texts(met.Select(m => m.Figures)));
        again.Parameters.Add(Texts(met.Select(m => m.Evidence.Length == 0 ? null : string.Join('|', m.Evidence))));
        return raised + await again.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> WithdrawAsync(PenaltyRuleOptions rule, Period period, List<Met> met, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(FlagSql.WithdrawUnmet, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.Name });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = period.Name });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. met.Select(m => m.OfficerId)] });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"The figures no longer meet rule '{rule.Name}' in {period.Name} (a breach was cleared, a grade revised, or a flag on the team withdrawn)." });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private sealed record Met(string OfficerId, string? PositionId, string? SupervisorPositionId, string? SupervisorOfficerId, string? DepartmentId, string Figures, string[] Evidence);
}
