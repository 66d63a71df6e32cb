namespace Helpline.WebConsole;

/// <summary>
/// The console's words, for <c>IStringLocalizer&lt;Text&gt;</c>. Keys are the English text itself, so English needs no
/// resource file; <c>Resources/Text.hi.resx</c> holds the Hindi, and a key it lacks shows in English.
/// </summary>
public sealed class Text
{
    private Text()
    {
    }
}
