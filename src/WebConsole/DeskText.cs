namespace Helpline.WebConsole;

/// <summary>
/// The agent desk's words, for <c>IStringLocalizer&lt;DeskText&gt;</c>: keys are the English text,
/// <c>Resources/DeskText.hi.resx</c> holds the Hindi (kept apart from <see cref="Text"/> so pages are translated
/// without touching one shared file).
/// </summary>
public sealed class DeskText
{
    private DeskText()
    {
    }
}
