using System.Globalization;
using Npgsql;

namespace Helpline.LoadTests;

/// <summary>
/// The options after a benchmark's name, read one at a time by every benchmark the same way: an option's value, a
/// whole number in a range, and the errors that name the option.
/// </summary>
internal sealed class BenchOptions
{
    private readonly IReadOnlyList<string> _args;
    private int _at = -1;

    private BenchOptions(IReadOnlyList<string> args) => _args = args;

    /// <summary>The option being read, for example <c>--grievances</c>.</summary>
    public string Name { get; private set; } = "";

    /// <summary>
    /// Applies each option in turn to <paramref name="start"/>; null with the first option's error in
    /// <paramref name="error"/>, or with a null error when <paramref name="apply"/> answers null (--help).
    /// </summary>
    public static T? Parse<T>(IReadOnlyList<string> args, T start, Func<BenchOptions, T, T?> apply, out string? error)
        where T : class
    {
        error = null;
        var options = new BenchOptions(args);
        var result = start;
        while (++options._at < args.Count)
        {
            options.Name = args[options._at];
            try
            {
                result = apply(options, result);
            }
            catch (ArgumentException ex)
            {
                error = ex.Message;
                return null;
            }

            if (result is null)
            {
                return null;
            }
        }

        return result;
    }

    /// <summary>The option's value: the next argument.</summary>
    public string Value() => _at + 1 < _args.Count ? _args[++_at] : throw new ArgumentException($"option {Name} needs a value");

    /// <summary>The option's value as a whole number from <paramref name="min"/> to <paramref name="max"/> (thousands separators allowed).</summary>
    public long Whole(long min, long max)
    {
        var text = Value();
        return long.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{Name} {text}: give a whole number from {min:N0} to {max:N0}");
    }

    /// <summary>The option's value as a whole number that fits an <see cref="int"/>.</summary>
    public int Whole(int min, int max) => (int)Whole((long)min, max);

    /// <summary>What is wrong with the <c>--db</c> connection string, or null when it reads.</summary>
    public static string? DatabaseProblem(string connectionString)
    {
        try
        {
            // A string that reads but names no server fails only when the run first connects, after its setup.
            return string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host) ? "--db: give a Host" : null;
        }
        catch (ArgumentException ex)
        {
            return $"--db: {ex.Message}";
        }
    }

    /// <summary>The error for an option nobody knows.</summary>
    public ArgumentException Unknown() => new($"unknown option {Name}");
}
