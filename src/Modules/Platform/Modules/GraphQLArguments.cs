using GraphQL;
using Helpline.Platform.Errors;

namespace Helpline.Platform.Modules;

/// <summary>Reading an id argument (of a campaign, officer, place, department, rule) the same way in every module.</summary>
public static class GraphQLArguments
{
    /// <summary>The longest id argument by default: every id Helpline hands out is far shorter.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The argument, or null when it was not given; refused before anything is looked up when it is longer than
    /// <paramref name="maxLength"/> (<c>TOO_LONG</c>) or holds a control character (<c>INVALID_VALUE</c>), naming it.
    /// </summary>
    public static string? Id(IResolveFieldContext context, string argument, int maxLength = MaxIdLength)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.GetArgument<string?>(argument);
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            throw new HelplineException(ErrorCodes.TooLong, $"{argument} is at most {maxLength} characters, not {value.Length}.", argument);
        }

        return value.Any(char.IsControl)
            ? throw new HelplineException(ErrorCodes.Invalid, $"{argument} is an id: it holds no control characters.", argument)
            : value;
    }
}
