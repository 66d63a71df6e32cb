using System.Globalization;
using System.Text.RegularExpressions;
using Helpline.Platform.Access;

namespace Helpline.Access.Tokens;

/// <summary>The parsed options of <c>./helpline token mint</c>.</summary>
internal sealed partial record MintArguments(
    Role Role,
    string Subject,
    IReadOnlyList<string>? Departments,
    IReadOnlyList<string>? Jurisdictions,
    int? Depth,
    TimeSpan Lifetime,
    string? KeysDirectory)
{
    /// <summary>A token's lifetime when <c>--ttl</c> is not given: one shift.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    /// <summary>The longest lifetime <c>--ttl</c> accepts: a token that outlives its key's rotation is a leak waiting to happen.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    private static readonly HashSet<string> Repeatable = ["department", "jurisdiction"];
    private static readonly HashSet<string> Single = ["role", "subject", "depth", "ttl", "keys"];

    /// <summary>The role names a token may carry (the public has no token), as the error messages list them.</summary>
    public static string ValidRoles => string.Join(", ", RoleNames.All.Where(r => r != Role.Public).Select(RoleNames.NameOf));

    /// <summary>Parses the words after <c>mint</c>; null and the reason when they cannot make a token.</summary>
    public static MintArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        var single = new Dictionary<string, string>(StringComparer.Ordinal);
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["department"] = [], ["jurisdiction"] = [] };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}' (options start with --)";
                return null;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (!Single.Contains(name) && !Repeatable.Contains(name))
            {
                error = $"unknown option --{name}";
                return null;
            }

            string value;
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                error = $"--{name} needs a value";
                return null;
            }

            if (Repeatable.Contains(name))
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    error = $"--{name} needs an id, not an empty value";
                    return null;
                }

                lists[name].Add(value.Trim());
            }
            else if (!single.TryAdd(name, value))
            {
                error = $"--{name} is given twice";
                return null;
            }
        }

        error = Check(single, out var role, out var subject, out var depth, out var lifetime);
        if (error is not null)
        {
            return null;
        }

        return new MintArguments(
            role,
            subject,
            lists["department"] is { Count: > 0 } departments ? departments.Distinct(StringComparer.Ordinal).ToList() : null,
            lists["jurisdiction"] is { Count: > 0 } jurisdictions ? jurisdictions.Distinct(StringComparer.Ordinal).ToList() : null,
            depth,
            lifetime,
            single.GetValueOrDefault("keys"));
    }

    /// <summary>Reads a lifetime such as <c>8h</c>, <c>30m</c>, <c>2d</c> or <c>90s</c>.</summary>
    public static bool TryParseLifetime(string text, out TimeSpan lifetime)
    {
        lifetime = default;
        var match = LifetimePattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0 || amount > (long)MaxLifetime.TotalSeconds)
        {
            return false;
        }

        lifetime = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
        return lifetime <= MaxLifetime;
    }

    private static string? Check(Dictionary<string, string> single, out Role role, out string subject, out int? depth, out TimeSpan lifetime)
    {
        role = Role.Public;
        subject = string.Empty;
        depth = null;
        lifetime = DefaultLifetime;
        if (!single.TryGetValue("role", out var roleName))
        {
            return $"--role is required: one of {ValidRoles}";
        }

        if (!RoleNames.TryParse(roleName, out role))
        {
            return $"unknown role '{roleName}': use one of {ValidRoles}";
        }

        if (!single.TryGetValue("subject", out var subjectText) || string.IsNullOrWhiteSpace(subjectText))
        {
            return "--subject is required: who the token speaks for (an officer id for officer and supervisor tokens, for example the officer.id a registration answers; an agent's or system's id otherwise)";
        }

        subject = subjectText.Trim();
        if (TokenSubjects.Problem(subject) is { } problem)
        {
            return $"--subject is an id: {problem}";
        }

        if (single.TryGetValue("depth", out var depthText))
        {
            if (role != Role.Supervisor)
            {
                return $"--depth is for supervisor tokens only (how many levels below their own seat they reach), not {roleName}";
            }

            if (!int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is < 1 or > 3)
            {
                return $"--depth {depthText} is not 1, 2 or 3";
            }

            depth = d;
        }

        if (single.TryGetValue("ttl", out var ttl) && !TryParseLifetime(ttl, out lifetime))
        {
            return $"--ttl {ttl} is not a lifetime: a whole number and a unit, s, m, h or d (for example 30m, 8h, 2d), up to {MaxLifetime.TotalDays:0}d";
        }

        return null;
    }

    [GeneratedRegex("^([0-9]{1,9})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex LifetimePattern();
}
