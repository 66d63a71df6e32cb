namespace Helpline.WebConsole;

/// <summary>
/// The words of the console's shared parts (the combobox, place kinds), for <c>IStringLocalizer&lt;ComboText&gt;</c>:
/// keys are the English text, <c>Resources/ComboText.hi.resx</c> holds the Hindi.
/// </summary>
public sealed class ComboText
{
    private ComboText()
    {
    }
}
