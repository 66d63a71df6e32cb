using System.Globalization;
using Helpline.Access.Tokens;
using Helpline.Host;

// ICU is on for Unicode normalisation only: messages, timeline notes and SLA explanations are written in the invariant
// culture whatever the machine's locale (LANG), as they were when globalization was invariant.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// `./helpline token ...` runs here, before the host is built: minting a token needs a key file, not the database.
if (AccessCommandLine.Handles(args))
{
    return AccessCommandLine.Run(args);
}

try
{
    var builder = HelplineHost.CreateBuilder(args);
    var app = await HelplineHost.BuildAsync(builder);
    await app.RunAsync();
}
catch (InvalidOperationException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.StartsWith("HELPLINE_DB", StringComparison.Ordinal))
{
    // A start refused for a reason the operator can fix: say it plainly, without a stack trace.
    await Console.Error.WriteLineAsync("helpline: " + ex.Message);
    return 1;
}

return 0;
