namespace Helpline.WebConsole;

/// <summary>
/// The words of the officer inbox and the call-back desk, for <c>IStringLocalizer&lt;InboxText&gt;</c>: keys are the
/// English text, <c>Resources/InboxText.hi.resx</c> holds the Hindi. Kept apart from <see cref="Text"/> so that the
/// pages' words and the shared ones are edited without touching each other's file.
/// </summary>
public sealed class InboxText
{
    private InboxText()
    {
    }
}
