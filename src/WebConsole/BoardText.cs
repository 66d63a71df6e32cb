namespace Helpline.WebConsole;

/// <summary>
/// The words of the supervisor board and the public page, for <c>IStringLocalizer&lt;BoardText&gt;</c>. Keys are the
/// English text; <c>Resources/BoardText.hi.resx</c> holds the Hindi (a file of their own, so other pages' Hindi is
/// edited without conflicts).
/// </summary>
public sealed class BoardText
{
    private BoardText()
    {
    }
}
