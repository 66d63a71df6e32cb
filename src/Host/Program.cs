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

// Read from the token taken before the run: once the run fails the host is disposed, and its services with it.
var stopping = CancellationToken.None;
try
{
    var builder = HelplineHost.CreateBuilder(args);
    var app = await HelplineHost.BuildAsync(builder);
    stopping = app.Lifetime.ApplicationStopping;
    await app.RunAsync();
}
catch (Exception ex) when (stopping.IsCancellationRequested && CancelledWithin(ex))
{
    // Ctrl-C or SIGTERM before the start had finished cancels it; stopping was asked for, so it is said and the exit
    // is clean like a stop after start, not an unhandled exception (the runtime aborted with 134). A service may wrap
    // the cancellation in its own exception (Quartz: JobPersistenceException, "Couldn't commit ADO.NET transaction").
    await Console.Error.WriteLineAsync("helpline: stopped while starting, as asked");
    return 0;
}
catch (InvalidOperationException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.StartsWith("HELPLINE_DB", StringComparison.Ordinal))
{
    // A start refused for a reason the operator can fix: say it plainly, without a stack trace.
    await Console.Error.WriteLineAsync("helpline: " + ex.Message);
    return 1;
}

return 0;

static bool CancelledWithin(Exception ex) => ex switch
{
    OperationCanceledException => true,
    AggregateException all => all.InnerExceptions.Any(CancelledWithin),
    { InnerException: { } inner } => CancelledWithin(inner),
    _ => false,
};
